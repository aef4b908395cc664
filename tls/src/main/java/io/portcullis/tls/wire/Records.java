package io.portcullis.tls.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Raw TLS records, for the probes that step outside a normal handshake: an early ChangeCipherSpec (CCS injection,
 * CVE-2014-0224) or a heartbeat request whose claimed payload is longer than what is sent (Heartbleed,
 * CVE-2014-0160). {@link HandshakeReader} reads whole records only, so after it returned ServerHelloDone the next
 * bytes on the stream start a record and {@link #read} can take over.
 */
public final class Records {
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    /** RFC 6520 heartbeat content type. */
    public static final int HEARTBEAT = 24;

    private Records() {
    }

    /** One record as received. */
    public record Record(int type, int version, byte[] body) {
    }

    /** A record: 5-byte header, then {@code body} as is (plaintext, no fragmentation: bodies stay small here). */
    public static byte[] encode(int type, int version, byte[] body) {
        if (body.length > (1 << 14)) {
            throw new IllegalArgumentException("record body of " + body.length + " bytes (expected: <= 16384)");
        }
        return new ByteWriter().u8(type).u16(version).u16(body.length).bytes(body).toByteArray();
    }

    /** A ChangeCipherSpec record (body {@code 01}). */
    public static byte[] changeCipherSpec(int version) {
        return encode(CHANGE_CIPHER_SPEC, version, new byte[] {1});
    }

    /**
     * A heartbeat_request (RFC 6520) that claims {@code claimedLength} payload bytes but carries none. A correct
     * server discards it (the RFC says so for a length mismatch); a Heartbleed-vulnerable one answers with that
     * many bytes of its own memory. Only the length is checked by the scanner, the leaked bytes are never kept.
     */
    public static byte[] heartbeatRequest(int version, int claimedLength) {
        return encode(HEARTBEAT, version, new byte[] {1, (byte) (claimedLength >> 8), (byte) claimedLength});
    }

    /** The next record, or null when the peer closed the connection cleanly between records. */
    public static Record read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(5);
        if (header.length == 0) {
            return null;
        }
        if (header.length < 5) {
            throw new EOFException("connection closed inside a record header");
        }
        int type = header[0] & 0xFF;
        int version = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        if (type < 20 || type > 24 || (version >> 8) != 3) {
            throw new TlsDecodeException("invalid record header type=" + type + " version=0x"
                    + Integer.toHexString(version));
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed inside a record");
        }
        return new Record(type, version, body);
    }
}
