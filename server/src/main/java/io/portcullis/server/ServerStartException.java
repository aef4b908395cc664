package io.portcullis.server;

/** The server could not start; the message says why in words that lead to the fix. Nothing is left running. */
public final class ServerStartException extends Exception {
    public ServerStartException(String message) {
        super(message);
    }

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
