package io.portcullis.certs;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslCredential;
import io.netty.handler.ssl.OpenSslCredentialBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.portcullis.config.ClientAuthConfig;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one server {@link SslContext} per site from its certificates and the shared {@link TlsPolicy}: protocols,
 * ciphers, groups, ALPN ({@code h2}, {@code http/1.1}), session cache. Server cipher preference is Netty's default
 * for OpenSSL contexts and is set explicitly for JSSE through the cipher order.
 */
final class ServerContextFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ServerContextFactory.class);
    /** Sessions a context remembers for session-ID resumption (tickets need no server memory). */
    static final long SESSION_CACHE_SIZE = 20_000;
    /** Mozilla's recommendation: resumption for one day, then a full handshake. */
    static final long SESSION_TIMEOUT_SECONDS = 86_400;

    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            // A client offering neither h2 nor http/1.1 still gets a connection; it will speak HTTP/1.1.
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final SslProvider provider;
    private final TlsPolicy policy;
    private final List<String> ciphers;

    ServerContextFactory(SslProvider provider, TlsPolicy policy) {
        this.provider = provider;
        this.policy = policy;
        this.ciphers = provider == SslProvider.JDK ? policy.jdkCipherNames() : supportedOpenSslCiphers(policy);
    }

    /**
     * @param keys       the site's certificates in preference order (ECDSA first); at most one per key type is used
     * @param clientAuth client certificates to ask for, or {@code null}: only this site's context asks, so other
     *                   sites' handshakes are unaffected
     */
    SslContext build(List<CertifiedKey> keys, ClientAuthConfig clientAuth) throws SSLException {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a site needs at least one certificate");
        }
        SslContextBuilder b = provider == SslProvider.JDK ? jdkBuilder(keys) : openSslBuilder(keys);
        if (clientAuth != null) {
            TrustManager trust;
            try {
                trust = ClientCaTrustManager.forCas(PemFiles.readCertificates(clientAuth.ca()),
                        provider != SslProvider.JDK);
            } catch (PemException | GeneralSecurityException e) {
                throw new SSLException("client_auth.ca " + clientAuth.ca() + ": " + e.getMessage(), e);
            }
            // The trust anchors are only these CAs (never the system store): a client certificate from any other
            // issuer fails the handshake, also in optional mode, where only sending none is allowed.
            b.trustManager(trust).clientAuth(clientAuth.mode() == ClientAuthConfig.Mode.REQUIRED
                    ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (provider != SslProvider.JDK && OpenSsl.isOcspSupported()) {
            b.enableOcsp(true); // lets the https listener staple a response per handshake (OcspStapler)
        }
        return b.sslProvider(provider)
                .protocols(policy.protocolNames())
                .applicationProtocolConfig(ALPN)
                .sessionCacheSize(SESSION_CACHE_SIZE)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .build();
    }

    private SslContextBuilder jdkBuilder(List<CertifiedKey> keys) {
        // SupportedCipherSuiteFilter drops names this JDK lacks instead of failing the whole context.
        return SslContextBuilder.forServer(new KeyTypeKeyManager(keys))
                .ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE);
    }

    private SslContextBuilder openSslBuilder(List<CertifiedKey> keys) {
        List<CertifiedKey> distinct = onePerKeyType(keys);
        // BoringSSL keeps one "legacy" certificate plus a list of credentials and tries the credentials first, in
        // order, then the legacy one. So the least preferred certificate goes in as the legacy one and the others
        // as credentials: with ECDSA + RSA, clients that accept ECDSA get it, the rest get RSA.
        CertifiedKey fallback = distinct.get(distinct.size() - 1);
        SslContextBuilder b = SslContextBuilder.forServer(fallback.privateKey(), fallback.chain())
                .ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE)
                .option(OpenSslContextOption.GROUPS, policy.boringSslGroupNames().toArray(new String[0]));
        if (distinct.size() > 1) {
            if (OpenSslCredential.isAvailable()) {
                List<OpenSslCredential> creds = new ArrayList<>();
                for (CertifiedKey k : distinct.subList(0, distinct.size() - 1)) {
                    creds.add(OpenSslCredentialBuilder.forX509(k.privateKey(), k.chainArray()).build());
                }
                b.addCredentials(creds);
            } else {
                CertifiedKey preferred = distinct.get(0);
                LOG.warn("this BoringSSL cannot serve several certificates per site; serving only the {} one",
                        preferred.keyAlgorithm());
                b = SslContextBuilder.forServer(preferred.privateKey(), preferred.chain())
                        .ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE)
                        .option(OpenSslContextOption.GROUPS, policy.boringSslGroupNames().toArray(new String[0]));
            }
        }
        return b;
    }

    private static List<CertifiedKey> onePerKeyType(List<CertifiedKey> keys) {
        List<CertifiedKey> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (CertifiedKey k : keys) {
            if (!seen.contains(k.keyAlgorithm())) {
                seen.add(k.keyAlgorithm());
                out.add(k);
            }
        }
        return out;
    }

    /**
     * The policy's suites that this BoringSSL implements. DHE suites (in Mozilla intermediate) are not: they are
     * dropped with one INFO line rather than failing the start, since ECDHE covers every client that offers DHE.
     */
    private static List<String> supportedOpenSslCiphers(TlsPolicy policy) {
        List<String> out = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String name : policy.openSslCipherNames()) {
            if (OpenSsl.availableOpenSslCipherSuites().contains(name) || name.startsWith("TLS_")) {
                out.add(name);
            } else {
                dropped.add(name);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("cipher suites not implemented by {} and left out: {}", OpenSsl.versionString(), dropped);
        }
        return out;
    }
}
