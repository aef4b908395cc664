package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.server.testing.PortcullisExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PROXY protocol v1 and v2 on the https listener, from a trusted load balancer (the test, on 127.0.0.1). */
class ProxyProtocolTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            listeners:
              https: {address: 127.0.0.1, port: 0, proxy_protocol: true}
              http: {address: 127.0.0.1, port: 0}
            trusted_proxies: [127.0.0.1]
            sites:
              - hosts: [localhost]
                routes:
                  - path: /office
                    access: {allow: [203.0.113.0/24, "2001:db8::/32"]}
                    respond: "office"
                  - respond: "open"
            """);

    /** Sends {@code header} in clear, then TLS on the same socket, one GET; returns the raw response text. */
    private static String request(byte[] header, String path) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
            plain.setSoTimeout(5000);
            if (header != null) {
                plain.getOutputStream().write(header);
            }
            SSLSocket tls = (SSLSocket) server.sslContext().getSocketFactory()
                    .createSocket(plain, "localhost", server.httpsPort(), true);
            SSLParameters p = tls.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("localhost")));
            p.setApplicationProtocols(new String[]{"http/1.1"});
            tls.setSSLParameters(p);
            tls.startHandshake();
            tls.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = tls.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 header: signature, version 2 / PROXY, family, then addresses and ports. */
    private static byte[] v2(boolean ipv6, byte[] src, byte[] dst, int srcPort, int dstPort) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.write(0x21);
        b.write(ipv6 ? 0x21 : 0x11);
        int len = 2 * src.length + 4;
        b.write(len >> 8);
        b.write(len & 0xff);
        b.writeBytes(src);
        b.writeBytes(dst);
        b.write(srcPort >> 8);
        b.write(srcPort & 0xff);
        b.write(dstPort >> 8);
        b.write(dstPort & 0xff);
        return b.toByteArray();
    }

    @Test
    void v1HeaderGivesTheClientAddress() throws Exception {
        assertThat(request(v1("PROXY TCP4 203.0.113.7 127.0.0.1 5555 443"), "/office"))
                .startsWith("HTTP/1.1 200").endsWith("office");
        assertThat(request(v1("PROXY TCP4 198.51.100.7 127.0.0.1 5555 443"), "/office")).startsWith("HTTP/1.1 403");
        assertThat(request(v1("PROXY TCP6 2001:db8::7 ::1 5555 443"), "/office")).startsWith("HTTP/1.1 200");
    }

    @Test
    void v2HeaderGivesTheClientAddress() throws Exception {
        byte[] v4 = v2(false, new byte[]{(byte) 203, 0, 113, 8}, new byte[]{127, 0, 0, 1}, 40000, 443);
        assertThat(request(v4, "/office")).startsWith("HTTP/1.1 200");
        byte[] other = v2(false, new byte[]{(byte) 198, 51, 100, 8}, new byte[]{127, 0, 0, 1}, 40000, 443);
        assertThat(request(other, "/office")).startsWith("HTTP/1.1 403");
        byte[] six = new byte[16];
        six[0] = 0x20;
        six[1] = 0x01;
        six[2] = 0x0d;
        six[3] = (byte) 0xb8;
        six[15] = 9;
        assertThat(request(v2(true, six, new byte[16], 40000, 443), "/office")).startsWith("HTTP/1.1 200");
    }

    @Test
    void localCommandKeepsThePeerAddress() throws Exception {
        assertThat(request(v1("PROXY UNKNOWN"), "/office")).startsWith("HTTP/1.1 403");
        assertThat(request(v1("PROXY UNKNOWN"), "/open")).startsWith("HTTP/1.1 200");
    }

    @Test
    void connectionWithoutAHeaderIsClosed() {
        assertThatThrownBy(() -> request(null, "/open")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> request(v1("PROXY TCP4 not-an-ip 127.0.0.1 1 2"), "/open"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void accessLogRecordsTheProxiedClient() throws Exception {
        request(v1("PROXY TCP4 203.0.113.99 127.0.0.1 5555 443"), "/logged-proxy");
        assertThat(server.accessLogLine("/logged-proxy")).contains("\"203.0.113.99\"");
    }
}
