package io.portcullis.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A JSSE connection that trusts everything, for what raw probes cannot see: the TLS 1.3 certificate chain (it is
 * encrypted), the ALPN answer of TLS 1.3, stapled OCSP, and the HTTPS front page. Trust is judged separately by
 * {@link TrustStores}; accepting every chain here is what lets the scanner report on a broken one.
 */
final class JsseClient {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** What a full handshake showed. */
    record Session(String protocol, String cipherSuite, String alpn, List<X509Certificate> chain,
                   boolean ocspStapled) {
    }

    private final InetSocketAddress address;
    private final String sni;
    private final ScanOptions options;

    JsseClient(InetSocketAddress address, String sni, ScanOptions options) {
        this.address = address;
        this.sni = sni;
        this.options = options;
    }

    Session handshake(List<String> alpn) throws IOException {
        try (SSLSocket s = open(alpn, null)) {
            return session(s);
        }
    }

    /** GET / over HTTP/1.1; returns the status line and headers (body discarded) and the session. */
    record Response(Session session, String head) {
    }

    Response get(String hostHeader) throws IOException {
        try (SSLSocket s = open(List.of("http/1.1"), null)) {
            Session session = session(s);
            String req = "GET / HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: portcullis-scan\r\n"
                    + "Accept: */*\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new Response(session, readHead(s.getInputStream()));
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while (head.size() < MAX_HEADER_BYTES && (b = in.read()) >= 0) {
            head.write(b);
            if (b == '\n') {
                String h = head.toString(StandardCharsets.ISO_8859_1);
                if (h.endsWith("\r\n\r\n") || h.endsWith("\n\n")) {
                    break; // the blank line ending the headers; the body does not matter here
                }
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private SSLSocket open(List<String> alpn, java.util.function.Consumer<SSLParameters> tweak) throws IOException {
        SSLSocket s;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            s = (SSLSocket) ctx.getSocketFactory().createSocket();
        } catch (GeneralSecurityException e) {
            throw new IOException("JSSE unavailable: " + e.getMessage(), e);
        }
        try {
            s.connect(address, (int) options.connectTimeout().toMillis());
            s.setSoTimeout((int) options.readTimeout().toMillis());
            SSLParameters p = s.getSSLParameters();
            if (sni != null && !sni.isEmpty() && Character.isLetter(sni.charAt(sni.length() - 1))) {
                p.setServerNames(List.of(new SNIHostName(sni)));
            }
            p.setApplicationProtocols(alpn.toArray(new String[0]));
            if (tweak != null) {
                tweak.accept(p);
            }
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static Session session(SSLSocket s) throws IOException {
        var ss = s.getSession();
        X509Certificate[] chain = Arrays.stream(ss.getPeerCertificates()).map(c -> (X509Certificate) c)
                .toArray(X509Certificate[]::new);
        boolean stapled = ss instanceof ExtendedSSLSession e && !e.getStatusResponses().isEmpty();
        String alpn = s.getApplicationProtocol();
        return new Session(ss.getProtocol(), ss.getCipherSuite(), alpn == null || alpn.isEmpty() ? null : alpn,
                List.of(chain), stapled);
    }

    /**
     * Accepts every chain: the scanner reports on certificates, it does not refuse them. Extended, because JSSE
     * wraps a plain X509TrustManager with algorithm-constraint checks that would reject SHA-1 or RSA-1024 chains.
     */
    static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
