package io.portcullis.tls.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads plaintext TLS records from a stream and hands out whole handshake messages, reassembling messages that span
 * records (a Certificate message is often larger than one record) and records that hold several messages.
 * ChangeCipherSpec records (TLS 1.3 middlebox compatibility) are skipped.
 *
 * <p>The first record is checked strictly: if it is not TLS at all, {@link NotTlsException} carries a preview of
 * what the peer said instead, so "this is an SSH server" is a verdict and not a decode error.
 */
public final class HandshakeReader {
    /** RFC 8446: a record never exceeds 2^14 + 256 bytes of ciphertext; leave room for the TLS 1.2 2048 limit. */
    private static final int MAX_RECORD = (1 << 14) + 2048;

    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private byte[] buffer = new byte[0];
    private int offset;
    private boolean first = true;
    private boolean encrypted;
    private int recordVersion = -1;

    public HandshakeReader(InputStream in) {
        this.in = in;
    }

    /** The version field of the first record the server sent; -1 before any was read. */
    public int recordVersion() {
        return recordVersion;
    }

    /**
     * The next handshake message, or null once the peer switched to encrypted records (application_data
     * content type) so nothing more is readable in plaintext.
     *
     * @throws AlertException   the peer sent an alert
     * @throws NotTlsException  the peer's first bytes are not a TLS record
     * @throws EOFException     the peer closed the connection
     */
    public HandshakeMessage next() throws IOException {
        while (true) {
            if (buffer.length - offset >= 4) {
                int len = ((buffer[offset + 1] & 0xFF) << 16) | ((buffer[offset + 2] & 0xFF) << 8)
                        | (buffer[offset + 3] & 0xFF);
                if (buffer.length - offset - 4 >= len) {
                    int type = buffer[offset] & 0xFF;
                    byte[] body = Arrays.copyOfRange(buffer, offset + 4, offset + 4 + len);
                    offset += 4 + len;
                    return new HandshakeMessage(type, body);
                }
            }
            if (encrypted) {
                return null;
            }
            readRecord();
        }
    }

    private void readRecord() throws IOException {
        byte[] header = new byte[5];
        int got = readFully(header, 0, 5);
        if (got < 5) {
            if (first && got > 0) {
                throw new NotTlsException(header, got);
            }
            throw new EOFException(got == 0 ? "connection closed by peer" : "connection closed inside a record");
        }
        int type = header[0] & 0xFF;
        int version = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        boolean plausible = type >= 20 && type <= 23 && (version >> 8) == 3 && (version & 0xFF) <= 4
                && length <= MAX_RECORD;
        if (!plausible) {
            if (first) {
                byte[] preview = Arrays.copyOf(header, 40);
                int more = Math.min(in.available(), 35);
                int n = more > 0 ? in.read(preview, 5, more) : 0;
                throw new NotTlsException(preview, 5 + Math.max(n, 0));
            }
            throw new TlsDecodeException("invalid record header type=" + type + " version=0x"
                    + Integer.toHexString(version) + " length=" + length);
        }
        if (first) {
            recordVersion = version;
        }
        first = false;
        byte[] body = new byte[length];
        if (readFully(body, 0, length) < length) {
            throw new EOFException("connection closed inside a record");
        }
        switch (type) {
            case 21 -> throw new AlertException(Alert.parse(body));
            case 22 -> {
                pending.reset();
                pending.write(buffer, offset, buffer.length - offset);
                pending.write(body);
                buffer = pending.toByteArray();
                offset = 0;
            }
            case 23 -> encrypted = true;
            default -> {
                // 20: ChangeCipherSpec; in TLS 1.3 it is a no-op sent for middleboxes, and after it (1.2) or
                // after the ServerHello (1.3) everything is encrypted anyway.
            }
        }
    }

    private int readFully(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
