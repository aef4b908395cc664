package io.portcullis.config;

/**
 * The admin endpoint: a small HTTP API on loopback that the {@code portcullis cert ...} commands talk to.
 *
 * @param enabled default true
 * @param address a loopback address (default {@code 127.0.0.1}); anything else is refused, since the API has no
 *                authentication and only the machine's own users may reach it
 * @param port    default 2019 (as Caddy's); 0 picks a free port
 */
public record AdminConfig(boolean enabled, String address, int port) {
    public static final int DEFAULT_PORT = 2019;

    public static AdminConfig defaults() {
        return new AdminConfig(true, "127.0.0.1", DEFAULT_PORT);
    }
}
