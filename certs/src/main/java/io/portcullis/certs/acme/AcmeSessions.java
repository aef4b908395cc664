package io.portcullis.certs.acme;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.portcullis.config.AcmeConfig;
import io.portcullis.tls.PemFiles;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/** Opens acme4j sessions to the configured CA, trusting {@code acme.ca_root} for its TLS when one is given. */
final class AcmeSessions {
    private AcmeSessions() {
    }

    static Session open(AcmeConfig config) throws IOException {
        if (config.caRoot() == null) {
            return new Session(config.directory());
        }
        SSLContext ssl = trusting(PemFiles.readCertificates(config.caRoot()));
        return new Session(config.directory(), new TrustingProvider(ssl));
    }

    private static SSLContext trusting(List<X509Certificate> roots) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                ks.setCertificateEntry("acme-ca-" + i, roots.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("acme.ca_root: cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** The generic RFC 8555 provider whose HTTP client trusts only the given roots. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext ssl;

        TrustingProvider(SSLContext ssl) {
            this.ssl = ssl;
        }

        @Override
        public boolean accepts(URI serverUri) {
            return "https".equals(serverUri.getScheme());
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings settings) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(settings.getTimeout())
                    .proxy(settings.getProxySelector())
                    .sslContext(ssl);
            if (settings.getAuthenticator() != null) {
                b.authenticator(settings.getAuthenticator());
            }
            return b.build();
        }
    }
}
