package io.portcullis.config;

/**
 * Strict-Transport-Security.
 *
 * @param mode              {@link Mode#AUTO} (default): on for sites with a certificate from files or ACME, off for
 *                          local-CA sites; {@link Mode#ON}; {@link Mode#OFF}
 * @param maxAgeSeconds     default 63072000 (two years)
 * @param includeSubdomains default true
 * @param preload           default false; only with includeSubdomains and max-age of a year or more
 */
public record HstsConfig(Mode mode, long maxAgeSeconds, boolean includeSubdomains, boolean preload) {
    public enum Mode { AUTO, ON, OFF }

    /** The header value, e.g. {@code max-age=63072000; includeSubDomains}. */
    public String headerValue() {
        StringBuilder sb = new StringBuilder("max-age=").append(maxAgeSeconds);
        if (includeSubdomains) {
            sb.append("; includeSubDomains");
        }
        if (preload) {
            sb.append("; preload");
        }
        return sb.toString();
    }
}
