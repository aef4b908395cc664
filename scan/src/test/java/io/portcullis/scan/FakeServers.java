package io.portcullis.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import io.portcullis.tls.wire.ClientHello;
import io.portcullis.tls.wire.ClientHelloParser;
import io.portcullis.tls.wire.HandshakeReader;

/** Loopback peers that are not (quite) TLS servers: each connection is handled by one lambda on its own thread. */
final class FakeServers implements AutoCloseable {
    private final ServerSocket server;

    private FakeServers(Consumer<Socket> handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            handler.accept(s);
                        } catch (IOException e) {
                            // the client went away; nothing to do
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    static FakeServers ssh() throws IOException {
        return new FakeServers(s -> write(s, "SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    static FakeServers silent() throws IOException {
        return new FakeServers(s -> {
            try {
                s.getInputStream().readAllBytes(); // never answers; the client gives up first
            } catch (IOException e) {
                // closed by the client
            }
        });
    }

    static FakeServers reset() throws IOException {
        return new FakeServers(s -> {
            try {
                s.getInputStream().read();
                s.setSoLinger(true, 0); // close with RST
            } catch (IOException e) {
                // fine
            }
        });
    }

    /**
     * A server that only speaks SSLv3 and only RC4-SHA / DES-CBC3-SHA: it answers a ClientHello of version 3.0 or
     * higher with an SSLv3 ServerHello (raw bytes, no certificate follows) and anything it cannot serve with a
     * handshake_failure alert. Debian's openssl has no SSLv3, so this is how SSLv3 detection is tested.
     */
    static FakeServers sslV3() throws IOException {
        return new FakeServers(s -> {
            try {
                InputStream in = s.getInputStream();
                int first = in.read();
                if (first != 0x16) {
                    return; // SSLv2 hello or junk: just close
                }
                byte[] header = in.readNBytes(4);
                byte[] rest = in.readNBytes(((header[2] & 0xFF) << 8) | (header[3] & 0xFF));
                byte[] record = new byte[5 + rest.length];
                record[0] = 0x16;
                System.arraycopy(header, 0, record, 1, 4);
                System.arraycopy(rest, 0, record, 5, rest.length);
                ClientHello ch = ClientHelloParser.parse(new HandshakeReader(
                        new java.io.ByteArrayInputStream(record)).next());
                int chosen = List.of(0x0005, 0x000A).stream().filter(ch.cipherSuites()::contains).findFirst()
                        .orElse(-1);
                if (ch.clientVersion() < 0x0300 || chosen < 0) {
                    write(s, HexFormat.of().parseHex("15030000020228"));
                    return;
                }
                String body = "0300" + "ab".repeat(32) + "00" + String.format("%04x", chosen) + "00";
                String hs = "02" + String.format("%06x", body.length() / 2) + body + "0e000000";
                write(s, HexFormat.of().parseHex("160300" + String.format("%04x", hs.length() / 2) + hs));
            } catch (IOException e) {
                // client gone
            }
        });
    }

    /**
     * A TLS 1.2 "server" with Heartbleed: echoes the heartbeat extension, sends ServerHello + ServerHelloDone, and
     * answers any heartbeat_request with a 16 KiB heartbeat_response (zeros, standing in for leaked memory).
     */
    static FakeServers heartbleed() throws IOException {
        return new FakeServers(s -> {
            try {
                InputStream in = s.getInputStream();
                new HandshakeReader(in).next(); // the ClientHello; suite 0xC02F is what every probe offers
                String ext = "000f000101"; // heartbeat: peer_allowed_to_send
                String body = "0303" + "ab".repeat(32) + "00" + "c02f" + "00" + String.format("%04x", ext.length() / 2)
                        + ext;
                String hs = "02" + String.format("%06x", body.length() / 2) + body + "0e000000";
                write(s, HexFormat.of().parseHex("160303" + String.format("%04x", hs.length() / 2) + hs));
                while (true) {
                    io.portcullis.tls.wire.Records.Record r = io.portcullis.tls.wire.Records.read(in);
                    if (r == null) {
                        return;
                    }
                    if (r.type() == 24) {
                        byte[] leak = new byte[3 + 0x4000 + 16];
                        leak[0] = 2;
                        leak[1] = 0x40;
                        write(s, io.portcullis.tls.wire.Records.encode(24, 0x0303, java.util.Arrays.copyOf(leak,
                                0x4000)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // client gone
            }
        });
    }

    /**
     * A TLS 1.2 RSA-key-exchange server that is a Bleichenbacher oracle, as the ROBOT paper's vulnerable stacks
     * were: it decrypts the ClientKeyExchange with its real key and answers a wrong PKCS#1 header with
     * decrypt_error (51) and everything else, after the client's Finished, with bad_record_mac (20).
     */
    static FakeServers robotOracle(java.security.KeyPair rsa, java.security.cert.X509Certificate cert)
            throws IOException {
        java.security.interfaces.RSAPrivateKey key = (java.security.interfaces.RSAPrivateKey) rsa.getPrivate();
        int k = (key.getModulus().bitLength() + 7) / 8;
        byte[] der;
        try {
            der = cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        return new FakeServers(s -> {
            try {
                InputStream in = s.getInputStream();
                ClientHello ch = ClientHelloParser.parse(new HandshakeReader(in).next());
                int suite = List.of(0x009C, 0x002F).stream().filter(ch.cipherSuites()::contains).findFirst()
                        .orElse(-1);
                if (suite < 0) {
                    write(s, HexFormat.of().parseHex("15030300020228"));
                    return;
                }
                String body = "0303" + "ab".repeat(32) + "00" + String.format("%04x", suite) + "00";
                String sh = "02" + String.format("%06x", body.length() / 2) + body;
                String certs = String.format("%06x", der.length + 3) + String.format("%06x", der.length)
                        + HexFormat.of().formatHex(der);
                String cm = "0b" + String.format("%06x", certs.length() / 2) + certs;
                String hs = sh + cm + "0e000000";
                write(s, HexFormat.of().parseHex("160303" + String.format("%04x", hs.length() / 2) + hs));
                io.portcullis.tls.wire.Records.Record cke = io.portcullis.tls.wire.Records.read(in);
                byte[] enc = java.util.Arrays.copyOfRange(cke.body(), 6, 6 + k);
                byte[] m = new java.math.BigInteger(1, enc).modPow(key.getPrivateExponent(), key.getModulus())
                        .toByteArray(); // leading 00 dropped by BigInteger: m[0] is the 02 byte when well formed
                boolean header = m.length == k - 1 && m[0] == 2;
                // The client's whole flight is read before answering: closing with its ChangeCipherSpec and
                // Finished unread would reset the connection and the alert would be lost on the way.
                io.portcullis.tls.wire.Records.read(in); // ChangeCipherSpec
                io.portcullis.tls.wire.Records.read(in); // Finished
                write(s, HexFormat.of().parseHex(header ? "15030300020214" : "15030300020233"));
            } catch (IOException | RuntimeException e) {
                // client gone
            }
        });
    }

    private static void write(Socket s, byte[] b) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(b);
            out.flush();
        } catch (IOException e) {
            // client gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
