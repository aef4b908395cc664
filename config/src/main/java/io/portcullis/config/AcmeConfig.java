package io.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How Portcullis gets public certificates over ACME (RFC 8555), for sites with {@code tls: acme} and every site whose
 * hosts are all public names and that has no {@code tls:} (with {@link #defaults()} when the config has no block).
 *
 * @param directory      the CA's directory URL; default Let's Encrypt production
 * @param email          account contact (optional; CAs use it for expiry and incident mail)
 * @param caRoot         PEM file of the root that signed the ACME server's own TLS certificate, for private CAs and
 *                       test servers; {@code null}: the JDK's trust store
 * @param keyType        key of the issued certificates: ECDSA P-256 (default) or RSA 2048
 * @param http01         answer HTTP-01 challenges on the http listener (default on)
 * @param tlsAlpn01      answer TLS-ALPN-01 challenges on the https listener (default on)
 * @param eabKeyId       external account binding key id, for CAs that need one (with {@code eabHmacKey}); or null
 * @param eabHmacKey     external account binding MAC key, base64url as the CA gives it; or null
 * @param checkInterval  how often the renewal scheduler looks at every managed certificate (default 5 minutes)
 * @param renewalRatio   renew once this share of the lifetime has passed when the CA gives no renewal window (2/3)
 * @param mustStaple     ask for the TLS Feature extension {@code status_request} (OCSP must-staple, RFC 7633) in
 *                       every CSR (default off: a client then hard-fails when no OCSP response is stapled)
 * @param retryBase      the wait after a first failure, doubled after each further one up to a day (default 1 minute)
 */
public record AcmeConfig(
        URI directory,
        String email,
        Path caRoot,
        KeyType keyType,
        boolean http01,
        boolean tlsAlpn01,
        String eabKeyId,
        String eabHmacKey,
        Duration checkInterval,
        double renewalRatio,
        boolean mustStaple,
        Duration retryBase) {

    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(5);
    public static final double DEFAULT_RENEWAL_RATIO = 2.0 / 3.0;
    public static final Duration DEFAULT_RETRY_BASE = Duration.ofMinutes(1);

    public enum KeyType { ECDSA_P256, RSA_2048 }

    public AcmeConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(retryBase, "retryBase");
    }

    public static AcmeConfig defaults() {
        return new AcmeConfig(LETS_ENCRYPT, null, null, KeyType.ECDSA_P256, true, true, null, null,
                DEFAULT_CHECK_INTERVAL, DEFAULT_RENEWAL_RATIO, false, DEFAULT_RETRY_BASE);
    }
}
