package io.portcullis.tls.wire;

import java.io.IOException;

/** The peer sent an alert where a handshake message was expected: for a probe, usually "no". */
public class AlertException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Alert alert;

    public AlertException(Alert alert) {
        super("peer sent alert " + alert);
        this.alert = alert;
    }

    public Alert alert() {
        return alert;
    }
}
