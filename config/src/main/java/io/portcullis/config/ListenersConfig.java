package io.portcullis.config;

import java.util.Objects;

/**
 * @param https the TLS listener (h1 and h2 over TCP)
 * @param http  the plain listener that redirects to https; {@link ListenerConfig#enabled()} false turns it off
 * @param fallbackPorts when the https/http ports cannot be bound (privileged port without root, port in use), use
 *                      8443/8080 instead and say so. On for the embedded default, off for a config file unless set.
 */
public record ListenersConfig(ListenerConfig https, ListenerConfig http, boolean fallbackPorts) {
    public ListenersConfig {
        Objects.requireNonNull(https, "https");
        Objects.requireNonNull(http, "http");
    }
}
