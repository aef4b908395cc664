package io.portcullis.tls.wire;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the body of a ServerHello handshake message (RFC 5246 section 7.4.1.3, RFC 8446 section 4.1.3). */
public final class ServerHelloParser {
    /** SHA-256("HelloRetryRequest"): the random that marks a HelloRetryRequest (RFC 8446 section 4.1.3). */
    static final byte[] HRR_RANDOM = HexFormat.of()
            .parseHex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    private ServerHelloParser() {
    }

    public static ServerHello parse(HandshakeMessage message) {
        if (message.type() != HandshakeMessage.SERVER_HELLO) {
            throw new TlsDecodeException("expected ServerHello (2), got handshake type " + message.type());
        }
        return parse(message.body());
    }

    public static ServerHello parse(byte[] body) {
        ByteReader r = new ByteReader(body);
        int legacy = r.u16("server_version");
        byte[] random = r.bytes(32, "random");
        byte[] sid = r.bytes(r.u8("session_id length"), "session_id");
        int suite = r.u16("cipher_suite");
        int compression = r.u8("compression_method");
        Map<Integer, byte[]> ext = new LinkedHashMap<>();
        if (r.remaining() > 0) { // SSLv3 and bare TLS 1.0 servers may omit the extensions block entirely
            ByteReader exts = r.slice(r.u16("extensions length"), "extensions");
            while (exts.remaining() > 0) {
                int type = exts.u16("extension type");
                ext.put(type, exts.bytes(exts.u16("extension length"), "extension " + type));
            }
        }
        int version = legacy;
        byte[] sv = ext.get(ExtensionType.SUPPORTED_VERSIONS);
        if (sv != null && sv.length == 2) {
            version = ((sv[0] & 0xFF) << 8) | (sv[1] & 0xFF);
        }
        return new ServerHello(legacy, version, random, sid, suite, compression, Collections.unmodifiableMap(ext),
                Arrays.equals(random, HRR_RANDOM));
    }
}
