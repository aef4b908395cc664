package io.portcullis.config;

import java.nio.file.Path;

/**
 * Client certificates (mutual TLS) for one site: asked for only in that site's handshakes.
 *
 * @param ca            PEM bundle of the CAs whose client certificates are accepted (read and checked at load)
 * @param mode          {@link Mode#REQUIRED}: a handshake without a valid certificate fails; {@link Mode#OPTIONAL}: a
 *                      client may send none, but one it sends must be valid
 * @param subjectHeader the request header that carries the verified subject DN to handlers and upstreams; a header
 *                      of this name sent by the client is always removed
 */
public record ClientAuthConfig(Path ca, Mode mode, String subjectHeader) {
    public enum Mode { OPTIONAL, REQUIRED }

    /** The header name used when {@code subject_header} is not set, and stripped on sites without client auth. */
    public static final String DEFAULT_SUBJECT_HEADER = "X-Client-Subject";
}
