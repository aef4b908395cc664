package io.portcullis.certs.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.portcullis.certs.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The challenge answers in flight, shared by the issuer that provisions them and the listeners that serve them:
 * HTTP-01 key authorizations by token (port 80 answers {@code GET /.well-known/acme-challenge/<token>}) and TLS-ALPN-01
 * contexts by host (port 443 serves them only to ClientHellos that offer ALPN {@code acme-tls/1}, RFC 8737). Entries
 * live only while the CA validates, so lookups on the hot path are one map read that is nearly always a miss.
 *
 * <p>HTTP-01 answers are also written to {@link Storage} ({@code acme/challenges/http-01/<token>}), so when several
 * instances share storage behind one name, whichever instance the CA's request reaches can answer it.
 */
public final class AcmeChallenges {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeChallenges.class);
    /** RFC 8737's ALPN protocol id. */
    public static final String ACME_TLS_1 = "acme-tls/1";

    private final Map<String, String> http01 = new ConcurrentHashMap<>();
    private final Map<String, SslContext> tlsAlpn01 = new ConcurrentHashMap<>();
    private final Supplier<Storage> storage;

    /** Answers from memory only (one instance). */
    public AcmeChallenges() {
        this(null);
    }

    /** @param storage the shared storage HTTP-01 answers are published in and looked up from; may be null */
    public AcmeChallenges(Supplier<Storage> storage) {
        this.storage = storage;
    }

    /** The key authorization to answer for an HTTP-01 {@code token}, or {@code null}. */
    public String http01(String token) {
        String local = http01.get(token);
        if (local != null || storage == null || !token.matches("[A-Za-z0-9_-]{16,128}")) {
            return local;
        }
        try {
            // Only requests under /.well-known/acme-challenge/ get here: a small file read, rare by nature.
            return storage.get().get(http01Key(token)).map(b -> new String(b, StandardCharsets.US_ASCII))
                    .orElse(null);
        } catch (IOException e) {
            LOG.warn("ACME: cannot read the shared http-01 answer for token {}: {}", token, e.getMessage());
            return null;
        }
    }

    private static String http01Key(String token) {
        return "acme/challenges/http-01/" + token;
    }

    /** Whether any TLS-ALPN-01 validation is in flight (the https listener parses ALPN only then). */
    public boolean hasTlsAlpn01() {
        return !tlsAlpn01.isEmpty();
    }

    /** The TLS-ALPN-01 context for {@code host}, or {@code null} when no validation of it is in flight. */
    public SslContext tlsAlpn01(String host) {
        return tlsAlpn01.isEmpty() ? null : tlsAlpn01.get(host.toLowerCase(Locale.ROOT));
    }

    void putHttp01(String token, String keyAuthorization) {
        http01.put(token, keyAuthorization);
        if (storage != null) {
            try {
                storage.get().put(http01Key(token), keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                LOG.warn("ACME: http-01 answer not shared through storage ({}); only this instance can answer it",
                        e.getMessage());
            }
        }
    }

    void removeHttp01(String token) {
        http01.remove(token);
        if (storage != null) {
            try {
                storage.get().delete(http01Key(token));
            } catch (IOException e) {
                LOG.debug("ACME: cannot remove the shared http-01 answer {}: {}", token, e.getMessage());
            }
        }
    }

    /**
     * Serves the validation certificate for {@code host} to {@code acme-tls/1} handshakes. The context offers only
     * that ALPN protocol; the https listener hands it only to ClientHellos that offer it (BoringSSL cannot fail a
     * handshake on an ALPN mismatch, so the selection happens before, in the SNI step).
     */
    void putTlsAlpn01(String host, KeyPair keys, X509Certificate cert) throws SSLException {
        SslContext ctx = SslContextBuilder.forServer(keys.getPrivate(), List.of(cert))
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols("TLSv1.2", "TLSv1.3")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ACME_TLS_1))
                .build();
        tlsAlpn01.put(host.toLowerCase(Locale.ROOT), ctx);
    }

    void removeTlsAlpn01(String host) {
        tlsAlpn01.remove(host.toLowerCase(Locale.ROOT));
    }
}
