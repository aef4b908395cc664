package io.portcullis.server.http3;

import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.Mapping;
import io.portcullis.certs.CertStore;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.tls.CertifiedKey;
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
    private final Map<CertifiedKey, QuicSslContext> contexts = new ConcurrentHashMap<>();

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
        QuicSslContext ctx = contexts.get(key);
        if (ctx == null) {
            if (contexts.size() > 64) {
                // Keys replaced by reloads or renewals are never looked up again.
                contexts.clear();
            }
            ctx = contexts.computeIfAbsent(key, QuicSniContexts::build);
        }
        return ctx;
    }

    private static QuicSslContext build(CertifiedKey key) {
        return QuicSslContextBuilder.forServer(key.privateKey(), null, key.chainArray())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(false)
                .build();
    }
}
