package io.portcullis.certs.acme;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The challenge answers in flight, shared by the issuer that provisions them and the listeners that serve them:
 * HTTP-01 key authorizations by token (port 80 answers {@code GET /.well-known/acme-challenge/<token>}) and TLS-ALPN-01
 * contexts by host (port 443 serves them only to ClientHellos that offer ALPN {@code acme-tls/1}, RFC 8737). Entries
 * live only while the CA validates, so lookups on the hot path are one map read that is nearly always a miss.
 */
public final class AcmeChallenges {
    /** RFC 8737's ALPN protocol id. */
    public static final String ACME_TLS_1 = "acme-tls/1";

    private final Map<String, String> http01 = new ConcurrentHashMap<>();
    private final Map<String, SslContext> tlsAlpn01 = new ConcurrentHashMap<>();

    /** The key authorization to answer for an HTTP-01 {@code token}, or {@code null}. */
    public String http01(String token) {
        return http01.get(token);
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
    }

    void removeHttp01(String token) {
        http01.remove(token);
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
