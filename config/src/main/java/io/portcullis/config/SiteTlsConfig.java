package io.portcullis.config;

import java.util.List;

/**
 * Where a site's certificate comes from.
 *
 * @param source       {@link Source#FILES}: certificate and key files given here; {@link Source#INTERNAL}: issued by
 *                     Portcullis's local CA (default for {@code localhost}, IP addresses and names without a dot);
 *                     {@link Source#ACME}: issued and renewed over ACME (see {@link AcmeConfig})
 * @param certificates with FILES: one or more chain+key pairs, typically one ECDSA and one RSA; the handshake picks the
 *                     one the client supports, ECDSA first
 * @param clientAuth   client certificates asked for in this site's handshakes; {@code null}: none asked for (default)
 */
public record SiteTlsConfig(Source source, List<CertificateFiles> certificates, ClientAuthConfig clientAuth) {
    public enum Source { FILES, INTERNAL, ACME }

    public SiteTlsConfig {
        certificates = List.copyOf(certificates);
    }

    /** Without client certificates. */
    public SiteTlsConfig(Source source, List<CertificateFiles> certificates) {
        this(source, certificates, null);
    }

    public static SiteTlsConfig acme() {
        return new SiteTlsConfig(Source.ACME, List.of());
    }

    public static SiteTlsConfig internal() {
        return new SiteTlsConfig(Source.INTERNAL, List.of());
    }
}
