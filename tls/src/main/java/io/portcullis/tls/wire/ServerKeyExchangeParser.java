package io.portcullis.tls.wire;

import java.util.OptionalInt;

/**
 * Reads the parameters a scanner grades from a TLS 1.0-1.2 ServerKeyExchange: the DH prime size (Logjam, weak DH)
 * or the named curve of ECDHE. The signature that follows is not verified; only the public parameters matter here.
 */
public final class ServerKeyExchangeParser {
    private ServerKeyExchangeParser() {
    }

    /** Size in bits of dh_p of a DHE ServerKeyExchange (leading zero bytes ignored). */
    public static int dhPrimeBits(HandshakeMessage message) {
        ByteReader r = new ByteReader(message.body());
        byte[] p = r.bytes(r.u16("dh_p length"), "dh_p");
        int i = 0;
        while (i < p.length && p[i] == 0) {
            i++;
        }
        if (i == p.length) {
            return 0;
        }
        return (p.length - i - 1) * 8 + (32 - Integer.numberOfLeadingZeros(p[i] & 0xFF));
    }

    /** The named-curve code point of an ECDHE ServerKeyExchange; empty for explicit curves (RFC 8422 forbids). */
    public static OptionalInt ecdheGroup(HandshakeMessage message) {
        ByteReader r = new ByteReader(message.body());
        int curveType = r.u8("curve_type");
        return curveType == 3 ? OptionalInt.of(r.u16("named_curve")) : OptionalInt.empty();
    }
}
