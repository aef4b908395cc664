package io.portcullis.server.http;

/** The wire protocol a request arrived on. */
public enum Protocol {
    HTTP_1_1("HTTP/1.1"), HTTP_2("HTTP/2.0"), HTTP_3("HTTP/3.0");

    private final String logName;

    Protocol(String logName) {
        this.logName = logName;
    }

    /** As written in access logs: {@code HTTP/1.1}, {@code HTTP/2.0}, {@code HTTP/3.0}. */
    public String logName() {
        return logName;
    }
}
