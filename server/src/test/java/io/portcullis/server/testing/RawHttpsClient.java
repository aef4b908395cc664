package io.portcullis.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket that writes exactly the bytes a test gives it and reads HTTP/1.1 responses: for Host/SNI control and
 * for malformed, smuggling and slow requests that no well-behaved client library would send.
 */
public final class RawHttpsClient implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:port with SNI {@code sniName} (null for none), ALPN http/1.1, verifying the chain. */
    public static RawHttpsClient connect(SSLContext ctx, int port, String sniName) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[]{"http/1.1"});
        params.setServerNames(sniName == null ? List.of() : List.of(new SNIHostName(sniName)));
        s.setSSLParameters(params);
        s.startHandshake();
        return new RawHttpsClient(s);
    }

    public static RawHttpsClient connect(PortcullisExtension server, String sniName) throws Exception {
        return connect(server.sslContext(), server.httpsPort(), sniName);
    }

    /** One GET with the given Host (and SNI), on a fresh connection. */
    public static RawResponse get(PortcullisExtension server, String host, String path) throws Exception {
        try (RawHttpsClient c = connect(server, host)) {
            c.write("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    public SSLSocket socket() {
        return socket;
    }

    public void setTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public void write(String raw) throws IOException {
        write(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one response; HEAD responses must use {@link #readResponse(boolean)}. */
    public RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    public RawResponse readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] body;
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (headRequest || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
            body = readChunked();
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, headers, new String(body, StandardCharsets.ISO_8859_1));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the server closed the connection (end of stream or reset within the socket timeout). */
    public boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
