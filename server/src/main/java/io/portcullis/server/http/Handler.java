package io.portcullis.server.http;

/**
 * Answers requests of one route. Called on the request's event loop; must never block it. The same handler instance
 * serves HTTP/1.1, HTTP/2 and HTTP/3 through {@link Exchange}.
 */
@FunctionalInterface
public interface Handler {
    void handle(Exchange exchange);

    /** Releases sockets, pools and files the handler holds; called when a config is retired. */
    default void close() {
    }
}
