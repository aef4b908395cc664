package io.portcullis.tls.wire;

/** One reassembled handshake message: its type (2 ServerHello, 11 Certificate, ...) and body without header. */
public record HandshakeMessage(int type, byte[] body) {
    public static final int SERVER_HELLO = 2;
    public static final int CERTIFICATE = 11;
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int CERTIFICATE_REQUEST = 13;
    public static final int SERVER_HELLO_DONE = 14;
    public static final int CERTIFICATE_STATUS = 22;
}
