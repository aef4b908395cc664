package io.portcullis.config;

/**
 * One socket address to listen on.
 *
 * @param address the bind address, {@code 0.0.0.0}, {@code ::} or a specific one; default {@code 0.0.0.0}
 *                (https) / {@code 0.0.0.0} (http)
 * @param port    0 picks an ephemeral port (tests); default 443 / 80
 * @param enabled false to not open this listener at all
 */
public record ListenerConfig(String address, int port, boolean enabled) {
    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(address, newPort, enabled);
    }
}
