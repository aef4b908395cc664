package io.portcullis.tls.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a ClientHello handshake body; the inverse of {@link ClientHelloBuilder} (and of any real client). */
public final class ClientHelloParser {
    private ClientHelloParser() {
    }

    public static ClientHello parse(HandshakeMessage message) {
        if (message.type() != 1) {
            throw new TlsDecodeException("expected ClientHello (1), got handshake type " + message.type());
        }
        ByteReader r = new ByteReader(message.body());
        int version = r.u16("client_version");
        byte[] random = r.bytes(32, "random");
        byte[] sid = r.bytes(r.u8("session_id length"), "session_id");
        ByteReader suites = r.slice(r.u16("cipher_suites length"), "cipher_suites");
        List<Integer> codes = new ArrayList<>();
        while (suites.remaining() >= 2) {
            codes.add(suites.u16("cipher suite"));
        }
        byte[] comp = r.bytes(r.u8("compression_methods length"), "compression_methods");
        Map<Integer, byte[]> ext = new LinkedHashMap<>();
        if (r.remaining() > 0) {
            ByteReader exts = r.slice(r.u16("extensions length"), "extensions");
            while (exts.remaining() > 0) {
                int type = exts.u16("extension type");
                ext.put(type, exts.bytes(exts.u16("extension length"), "extension " + type));
            }
        }
        return new ClientHello(version, random, sid, List.copyOf(codes), comp, Collections.unmodifiableMap(ext));
    }
}
