package io.portcullis.cli;

/** Exit codes, shared by every command so scripts can rely on them. */
final class ExitCodes {
    static final int OK = 0;
    /** The server could not start (ports, certificates, files). */
    static final int START_FAILED = 1;
    /** The config is invalid; nothing was started. */
    static final int INVALID_CONFIG = 2;

    private ExitCodes() {
    }
}
