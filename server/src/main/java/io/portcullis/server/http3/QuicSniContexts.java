package io.portcullis.server.http3;

import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.Mapping;
import io.portcullis.certs.CertStore;
import io.netty.handler.ssl.ClientAuth;
import io.portcullis.config.ClientAuthConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * SNI name to QUIC TLS context, from the same certificates the TCP listener serves: the name picks the site as for
 * HTTP requests (exact, wildcard, default), and the site's EC key (else its first) is served. Contexts are built once per key, so a reload or a local-CA renewal (new key objects) gets new contexts and
 * the old ones are dropped.
 */
final class QuicSniContexts implements Mapping<String, QuicSslContext> {
    private final CertStore certs;
    private final Supplier<ServerRuntime> runtime;
    private final Map<ContextKey, QuicSslContext> contexts = new ConcurrentHashMap<>();

    /** A context serves one key and asks for client certificates as its site does. */
    private record ContextKey(CertifiedKey key, ClientAuthConfig clientAuth) {
    }

    QuicSniContexts(CertStore certs, Supplier<ServerRuntime> runtime) {
        this.certs = certs;
        this.runtime = runtime;
    }

    @Override
    public QuicSslContext map(String serverName) {
        SiteConfig site = runtime.get().sites().lookup(serverName).config();
        List<CertifiedKey> keys = certs.keys(site);
        if (keys.isEmpty()) {
            return null;
        }
        // EC when the site has one: smaller handshakes, which matters more on QUIC (amplification limit before
        // address validation: a large RSA chain can cost an extra round trip).
        CertifiedKey key = keys.stream().filter(k -> k.keyAlgorithm().equals("EC")).findFirst().orElse(keys.get(0));
        ContextKey id = new ContextKey(key, site.tls() == null ? null : site.tls().clientAuth());
        QuicSslContext ctx = contexts.get(id);
        if (ctx == null) {
            if (contexts.size() > 64) {
                // Keys replaced by reloads or renewals are never looked up again.
                contexts.clear();
            }
            ctx = contexts.computeIfAbsent(id, QuicSniContexts::build);
        }
        return ctx;
    }

    private static QuicSslContext build(ContextKey id) {
        QuicSslContextBuilder b = QuicSslContextBuilder.forServer(id.key().privateKey(), null, id.key().chainArray())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(false);
        ClientAuthConfig auth = id.clientAuth();
        if (auth != null) {
            // The same CAs and mode as the site's TCP context: HTTP/3 must not be a way around client certificates.
            try {
                b.trustManager(PemFiles.readCertificates(auth.ca()).toArray(new X509Certificate[0]))
                        .clientAuth(auth.mode() == ClientAuthConfig.Mode.REQUIRED ? ClientAuth.REQUIRE
                                : ClientAuth.OPTIONAL);
            } catch (PemException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.build();
    }
}
