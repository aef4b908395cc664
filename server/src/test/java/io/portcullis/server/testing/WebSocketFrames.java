package io.portcullis.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ThreadLocalRandom;

/** Minimal RFC 6455 framing for tests: single-frame messages, masked (client) or not (server). */
public final class WebSocketFrames {
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One frame: opcode and unmasked payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private WebSocketFrames() {
    }

    /** The {@code Sec-WebSocket-Accept} value for a {@code Sec-WebSocket-Key}. */
    public static String accept(String key) {
        return RawServer.sha1Base64(key.trim() + GUID);
    }

    /** Writes one final frame; clients must mask. */
    public static void write(OutputStream out, int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(maskBit | 127);
            long len = payload.length;
            for (int i = 7; i >= 0; i--) {
                f.write((int) (len >>> (8 * i)));
            }
        }
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask);
            byte[] m = new byte[payload.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            f.write(m);
        } else {
            f.write(payload);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one frame (unmasking it); null at a clean end of stream before the frame. */
    public static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (readByte(in) << 8) | readByte(in);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte(in);
            }
        }
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
            mask = readExactly(in, 4);
        }
        byte[] payload = readExactly(in, (int) len);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame(b0 & 0x0F, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream inside a WebSocket frame");
        }
        return b;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("end of stream inside a WebSocket frame");
        }
        return b;
    }
}
