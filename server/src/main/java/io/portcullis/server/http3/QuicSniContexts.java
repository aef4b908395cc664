package io.portcullis.server.http3;

import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.Mapping;
import io.portcullis.certs.CertStore;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.tls.CertifiedKey;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;

/**
 * SNI name to QUIC TLS context, from the same certificates the TCP listener serves: the name picks the site as for
 * HTTP requests (exact, wildcard, default), and the site's EC key (else its first) is served. Contexts are built once per key, so a reload or a local-CA renewal (new key objects) gets new contexts and
 * the old ones are dropped.
 */
final class QuicSniContexts implements Mapping<String, QuicSslContext> {
    private final CertStore certs;
    private final Supplier<ServerRuntime> runtime;
    private final boolean earlyData;
    private final Map<CertifiedKey, QuicSslContext> contexts = new ConcurrentHashMap<>();

    QuicSniContexts(CertStore certs, Supplier<ServerRuntime> runtime, boolean earlyData) {
        this.certs = certs;
        this.runtime = runtime;
        this.earlyData = earlyData;
    }

    /**
     * The listener's TLS context: every handshake switches to the context {@code map} names for its SNI. It is also
     * the context that seals session tickets and the one whose early-data setting BoringSSL reads (a switch by SNI
     * changes certificates, not those), so 0-RTT is turned on here as well as in the per-site contexts.
     */
    QuicSslContext serverContext() throws GeneralSecurityException, java.io.IOException {
        // No key of its own: a handshake never gets this far without a site's context.
        KeyStore empty = KeyStore.getInstance(KeyStore.getDefaultType());
        empty.load(null, null);
        KeyManagerFactory none = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        none.init(empty, new char[0]);
        return QuicSslContextBuilder.forServer(none, null)
                .sni(this)
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(earlyData)
                .build();
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
            ctx = contexts.computeIfAbsent(key, this::build);
        }
        return ctx;
    }

    private QuicSslContext build(CertifiedKey key) {
        // Early data (0-RTT) only when quic.early_data asks for it: the dispatcher then refuses unsafe methods in it.
        return QuicSslContextBuilder.forServer(key.privateKey(), null, key.chainArray())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(earlyData)
                .build();
    }
}
