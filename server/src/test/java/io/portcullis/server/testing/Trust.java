package io.portcullis.server.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Client TLS contexts that trust exactly one local CA, as a client that installed its root would. */
public final class Trust {
    private Trust() {
    }

    /** Trusts every certificate in the PEM file {@code caPem}. */
    public static SSLContext localCa(Path caPem) throws Exception {
        return withClientCertificate(caPem, null);
    }

    /**
     * Trusts {@code caPem} and presents the client certificate of the PKCS#12 file {@code clientP12} (password
     * {@code changeit}, as {@link TestCa#clientKeyStore} writes it) when a server asks; {@code null} for none.
     */
    public static SSLContext withClientCertificate(Path caPem, Path clientP12) throws Exception {
        KeyManager[] keys = null;
        if (clientP12 != null) {
            KeyStore client = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientP12)) {
                client.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(client, "changeit".toCharArray());
            keys = kmf.getKeyManagers();
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, tmf.getTrustManagers(), null);
        return ctx;
    }
}
