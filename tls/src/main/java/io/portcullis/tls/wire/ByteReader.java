package io.portcullis.tls.wire;

import java.util.Arrays;

/** Bounds-checked big-endian reader; every overrun is a {@link TlsDecodeException} naming what was being read. */
final class ByteReader {
    private final byte[] b;
    private int pos;
    private final int limit;

    ByteReader(byte[] b) {
        this(b, 0, b.length);
    }

    ByteReader(byte[] b, int from, int limit) {
        this.b = b;
        this.pos = from;
        this.limit = limit;
    }

    int u8(String what) {
        need(1, what);
        return b[pos++] & 0xFF;
    }

    int u16(String what) {
        need(2, what);
        int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int u24(String what) {
        need(3, what);
        int v = ((b[pos] & 0xFF) << 16) | ((b[pos + 1] & 0xFF) << 8) | (b[pos + 2] & 0xFF);
        pos += 3;
        return v;
    }

    byte[] bytes(int n, String what) {
        need(n, what);
        byte[] out = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    /** A sub-reader over the next {@code n} bytes; this reader skips past them. */
    ByteReader slice(int n, String what) {
        need(n, what);
        ByteReader r = new ByteReader(b, pos, pos + n);
        pos += n;
        return r;
    }

    int remaining() {
        return limit - pos;
    }

    private void need(int n, String what) {
        if (n < 0 || pos + n > limit) {
            throw new TlsDecodeException("truncated " + what + ": need " + n + " bytes, have " + (limit - pos));
        }
    }
}
