package io.portcullis.config;

import java.nio.file.Path;

/**
 * @param verify     verify the upstream's certificate chain and host name; default true. Turning it off is an
 *                   explicit insecure opt-in and is logged as a warning.
 * @param caFile     PEM bundle of trusted roots for upstreams; {@code null} uses the JDK's trust store
 * @param serverName SNI and the name verified; {@code null} uses the upstream URI's host
 */
public record UpstreamTlsConfig(boolean verify, Path caFile, String serverName) {
}
