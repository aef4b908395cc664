package io.portcullis.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** HTTP/2 written frame by frame over TLS, for attacks no client library would make (floods, bombs, stalls). */
public final class RawH2 {
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;

    /** One frame as read from the server. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of a RST_STREAM or GOAWAY frame. */
        public long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private RawH2() {
    }

    /**
     * A TLS connection with ALPN h2 to 127.0.0.1 (SNI localhost) that has sent the preface and a SETTINGS frame
     * with {@code settings} (see {@link #setting}; empty for none).
     */
    public static SSLSocket connect(PortcullisExtension server, byte[] settings) throws Exception {
        SSLSocket s = (SSLSocket) server.sslContext().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[]{"h2"});
        p.setServerNames(List.of(new SNIHostName("localhost")));
        s.setSSLParameters(p);
        s.startHandshake();
        if (!"h2".equals(s.getApplicationProtocol())) {
            throw new IllegalStateException("no h2: " + s.getApplicationProtocol());
        }
        s.getOutputStream().write(PREFACE);
        s.getOutputStream().write(frame(SETTINGS, 0, 0, settings));
        return s;
    }

    /** One SETTINGS entry (RFC 9113 section 6.5.1). */
    public static byte[] setting(int id, int value) {
        return new byte[]{(byte) (id >> 8), (byte) id, (byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8),
                (byte) value};
    }

    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(9 + payload.length);
        b.write(payload.length >> 16);
        b.write(payload.length >> 8);
        b.write(payload.length);
        b.write(type);
        b.write(flags);
        b.write(stream >> 24 & 0x7f);
        b.write(stream >> 16);
        b.write(stream >> 8);
        b.write(stream);
        b.writeBytes(payload);
        return b.toByteArray();
    }

    /** A HEADERS block for {@code GET https://localhost<path>}, HPACK-encoded with the connection's encoder. */
    public static byte[] get(DefaultHttp2HeadersEncoder encoder, int stream, String path) throws Http2Exception {
        Http2Headers h = new DefaultHttp2Headers().method("GET").scheme("https").authority("localhost").path(path);
        ByteBuf out = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, h, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    /** The next frame; {@code null} at the end of the stream. */
    public static Frame read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.read();
        if (first < 0) {
            return null;
        }
        byte[] head = new byte[8];
        d.readFully(head);
        int length = (first << 16) | ((head[0] & 0xff) << 8) | (head[1] & 0xff);
        byte[] payload = new byte[length];
        d.readFully(payload);
        int stream = ((head[4] & 0x7f) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        return new Frame(head[2] & 0xff, head[3] & 0xff, stream, payload);
    }
}
