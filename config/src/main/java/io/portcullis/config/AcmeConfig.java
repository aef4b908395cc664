package io.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How Portcullis gets public certificates over ACME (RFC 8555), for sites with {@code tls: acme} and, once this block
 * is present, for every site whose hosts are all public names and that names no certificate files.
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
        boolean mustStaple) {

    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(5);
    public static final double DEFAULT_RENEWAL_RATIO = 2.0 / 3.0;

    public enum KeyType { ECDSA_P256, RSA_2048 }

    public AcmeConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(checkInterval, "checkInterval");
    }

    public static AcmeConfig defaults() {
        return new AcmeConfig(LETS_ENCRYPT, null, null, KeyType.ECDSA_P256, true, true, null, null,
                DEFAULT_CHECK_INTERVAL, DEFAULT_RENEWAL_RATIO, false);
    }
}
