package io.portcullis.server.testing;

import io.portcullis.server.PortcullisServer;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Looks at the certificate a running server hands out for a name, for the certificate tests (ACME, OCSP, faults). */
public final class TlsProbe {
    private TlsProbe() {
    }

    /** The leaf served on 127.0.0.1:{@code port} for SNI {@code host}, whoever issued it. */
    public static X509Certificate served(int port, String host) throws Exception {
        try (SSLSocket s = handshake(trustAll(), port, host, false)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /** A completed handshake offering http/1.1; with {@code verifyName} the host name is checked as browsers do. */
    public static SSLSocket handshake(SSLContext ctx, int port, String host, boolean verifyName) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        p.setApplicationProtocols(new String[] {"http/1.1"});
        if (verifyName) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /**
     * Waits (90 s at most) until the certificate served for {@code host} comes from Pebble and is not
     * {@code notSerial}; fails with the scheduler's state and Pebble's log.
     */
    public static X509Certificate awaitPebbleCertificate(PortcullisServer server, Pebble pebble, String host,
                                                         BigInteger notSerial) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        X509Certificate last = null;
        while (System.nanoTime() < deadline) {
            last = served(server.httpsPort(), host);
            if (last.getIssuerX500Principal().getName().contains("Pebble")
                    && !last.getSerialNumber().equals(notSerial)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new Pebble certificate for " + host + "; last served: "
                + (last == null ? null : last.getIssuerX500Principal()) + "\nscheduler: "
                + server.certServices().acme().status() + "\npebble log:\n" + pebble.log());
    }

    /** A client context trusting only the given PEM certificate. */
    public static SSLContext trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("root", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** For looking at what is served, whatever it is (a placeholder before issuance is trusted by nobody). */
    public static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
