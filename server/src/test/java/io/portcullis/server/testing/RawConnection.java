package io.portcullis.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/1.x connection, plain (the redirect listener) or TLS with ALPN http/1.1 (the https listener), for the
 * hostile requests no client library sends. Besides reading single responses it can read every response until the
 * server closes, which is how smuggling tests prove that nothing after a rejected request was answered.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A TLS connection to the server's https port, SNI localhost, ALPN http/1.1. */
    public static RawConnection tls(PortcullisExtension server) throws Exception {
        return tls(server, "localhost");
    }

    public static RawConnection tls(PortcullisExtension server, String sni) throws Exception {
        SSLSocket s = (SSLSocket) server.sslContext().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
        s.setSoTimeout(10_000);
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[]{"http/1.1"});
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        s.setSSLParameters(params);
        s.startHandshake();
        return new RawConnection(s);
    }

    /** A plain TCP connection to 127.0.0.1:port (the http redirect listener). */
    public static RawConnection plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return new RawConnection(s);
    }

    /**
     * True when the server closes {@code s} (end of stream or reset) within 2 s without being sent anything; false
     * when it stays open.
     */
    public static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(2000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public Socket socket() {
        return socket;
    }

    public RawConnection timeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    public void write(String raw) throws IOException {
        write(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    public RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads one response (a 1xx one too); {@code headRequest} for HEAD responses, which have no body. */
    public RawResponse readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: " + statusLine);
        }
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
            int n = Integer.parseInt(cl.get(0));
            body = in.readNBytes(n);
            if (body.length < n) {
                throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
            }
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, headers, new String(body, StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads responses until the server closes the connection (or a read times out, which fails: a server that keeps
     * the connection open after a rejected request is what the caller wants to catch). Bytes after the last complete
     * response that are not a response are reported as an extra pseudo-response with status -1.
     */
    public List<RawResponse> readUntilClosed() throws IOException {
        List<RawResponse> responses = new ArrayList<>();
        while (true) {
            in.mark(1);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("connection still open after " + responses.size()
                        + " responses: " + responses.stream().map(r -> r.status() + " " + (r.body().length() > 40
                        ? r.body().substring(0, 40) + "..." : r.body())).toList());
            } catch (IOException e) {
                return responses; // reset by peer counts as closed
            }
            if (b == -1) {
                return responses;
            }
            in.reset();
            try {
                responses.add(readResponse());
            } catch (EOFException e) {
                return responses;
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("not a status line")) {
                    responses.add(new RawResponse(-1, Map.of(), e.getMessage()));
                    return responses;
                }
                return responses;
            }
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("chunked body cut off");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                String t;
                while ((t = readLine()) != null && !t.isEmpty()) {
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

    /** Reads until end of stream within the socket timeout; returns the bytes read (empty for a silent close). */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // reset: closed
        }
        return all.toByteArray();
    }

    /** True when the server closed the connection (end of stream or reset within the socket timeout). */
    public boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
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
