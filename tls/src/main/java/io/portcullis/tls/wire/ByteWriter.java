package io.portcullis.tls.wire;

import java.io.ByteArrayOutputStream;

/** Big-endian writer with length-prefixed blocks that are back-patched when closed, as TLS vectors need. */
final class ByteWriter {
    private byte[] buf = new byte[512];
    private int pos;

    ByteWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    ByteWriter u16(int v) {
        return u8(v >> 8).u8(v);
    }

    ByteWriter u24(int v) {
        return u8(v >> 16).u8(v >> 8).u8(v);
    }

    ByteWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /** Reserves a length field of {@code width} bytes; pass the result to {@link #end}. */
    int begin(int width) {
        int mark = pos;
        for (int i = 0; i < width; i++) {
            u8(0);
        }
        return mark | (width << 28);
    }

    ByteWriter end(int token) {
        int width = token >>> 28;
        int mark = token & 0x0FFFFFFF;
        int len = pos - mark - width;
        for (int i = width - 1; i >= 0; i--) {
            buf[mark + i] = (byte) len;
            len >>= 8;
        }
        return this;
    }

    int size() {
        return pos;
    }

    byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pos);
        out.write(buf, 0, pos);
        return out.toByteArray();
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}
