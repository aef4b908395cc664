package io.portcullis.tls.wire;

/**
 * A TLS alert (RFC 8446 section 6). Scanners see these far more often than handshakes: every "no" a server says
 * to a probe is an alert, usually {@code handshake_failure} or {@code protocol_version}.
 */
public record Alert(int level, int description) {
    public static final int HANDSHAKE_FAILURE = 40;
    public static final int ILLEGAL_PARAMETER = 47;
    public static final int PROTOCOL_VERSION = 70;
    public static final int INSUFFICIENT_SECURITY = 71;
    public static final int INAPPROPRIATE_FALLBACK = 86;
    public static final int UNRECOGNIZED_NAME = 112;

    public boolean fatal() {
        return level == 2;
    }

    /** The RFC name, e.g. {@code handshake_failure}; {@code alert_<n>} for codes this table does not know. */
    public String name() {
        return switch (description) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 22 -> "record_overflow";
            case 30 -> "decompression_failure";
            case HANDSHAKE_FAILURE -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 46 -> "certificate_unknown";
            case ILLEGAL_PARAMETER -> "illegal_parameter";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case PROTOCOL_VERSION -> "protocol_version";
            case INSUFFICIENT_SECURITY -> "insufficient_security";
            case 80 -> "internal_error";
            case INAPPROPRIATE_FALLBACK -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case UNRECOGNIZED_NAME -> "unrecognized_name";
            case 120 -> "no_application_protocol";
            default -> "alert_" + description;
        };
    }

    /** Parses the two-byte body of an alert record. */
    public static Alert parse(byte[] body) {
        if (body.length < 2) {
            throw new TlsDecodeException("alert record of " + body.length + " bytes (expected: 2)");
        }
        return new Alert(body[0] & 0xFF, body[1] & 0xFF);
    }

    @Override
    public String toString() {
        return (fatal() ? "fatal " : "warning ") + name();
    }
}
