package io.portcullis.config;

/**
 * One socket address to listen on.
 *
 * @param address the bind address, {@code 0.0.0.0}, {@code ::} or a specific one; default {@code 0.0.0.0}
 *                (https) / {@code 0.0.0.0} (http)
 * @param port    0 picks an ephemeral port (tests); default 443 / 80
 * @param enabled false to not open this listener at all
 * @param proxyProtocol every connection starts with a PROXY protocol (v1 or v2) header, accepted from
 *                      {@code trusted_proxies} only; the address it carries is the client's
 */
public record ListenerConfig(String address, int port, boolean enabled, boolean proxyProtocol) {
    public ListenerConfig(String address, int port, boolean enabled) {
        this(address, port, enabled, false);
    }

    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(address, newPort, enabled, proxyProtocol);
    }
}
