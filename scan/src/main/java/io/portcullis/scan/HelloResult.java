package io.portcullis.scan;

import java.util.List;

import io.portcullis.tls.wire.Alert;
import io.portcullis.tls.wire.HandshakeMessage;
import io.portcullis.tls.wire.ServerHello;

/**
 * The outcome of one ClientHello. {@code ACCEPTED} carries the ServerHello and the rest of the plaintext flight
 * that was asked for; {@code REFUSED} is an ordinary "no" (alert, close, reset); the other kinds mean the target
 * itself is a problem and are what per-target errors are made of.
 */
record HelloResult(Kind kind, ServerHello serverHello, List<HandshakeMessage> flight, Alert alert, String detail) {
    enum Kind { ACCEPTED, REFUSED, NOT_TLS, TIMEOUT, UNREACHABLE }

    static HelloResult accepted(ServerHello sh, List<HandshakeMessage> flight) {
        return new HelloResult(Kind.ACCEPTED, sh, List.copyOf(flight), null, null);
    }

    static HelloResult refused(Alert alert, String detail) {
        return new HelloResult(Kind.REFUSED, null, List.of(), alert, detail);
    }

    static HelloResult failed(Kind kind, String detail) {
        return new HelloResult(kind, null, List.of(), null, detail);
    }

    boolean accepted() {
        return kind == Kind.ACCEPTED;
    }

    /** The first message of the given handshake type in the flight, or null. */
    HandshakeMessage message(int type) {
        return flight.stream().filter(m -> m.type() == type).findFirst().orElse(null);
    }
}
