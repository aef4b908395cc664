package io.portcullis.scan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.crypto.KeyAgreement;

import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.ExtensionType;
import io.portcullis.tls.wire.HandshakeMessage;
import io.portcullis.tls.wire.HandshakeReader;
import io.portcullis.tls.wire.ServerHello;
import io.portcullis.tls.wire.ServerHelloParser;

/**
 * A raw TLS 1.3 client that completes the handshake far enough to see what TLS 1.3 hides: the certificate chain
 * (with its stapled OCSP response) chosen for a given signature_algorithms offer, and, after sending its own
 * Finished, the NewSessionTicket whose early_data extension announces 0-RTT. X25519 or P-256; the server's signature
 * and Finished are not verified (a scanner reports what it is shown).
 */
final class Tls13Client {
    /** ECDSA schemes only (P-256, P-384, P-521 with SHA-2). */
    static final int[] ECDSA_SCHEMES = {0x0403, 0x0503, 0x0603};
    /** RSA schemes only: RSA-PSS with rsaEncryption keys (what TLS 1.3 signs with), then PKCS#1 for the chain. */
    static final int[] RSA_SCHEMES = {0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601};
    private static final int[] SUITES = {0x1301, 0x1302, 0x1303};
    private static final int NEW_SESSION_TICKET = 4;
    private static final int FINISHED = 20;

    /**
     * What one handshake showed. {@code maxEarlyData} is the largest 0-RTT size a ticket announced, 0 when tickets
     * came without early_data, null when no ticket arrived; {@code error} says why a step could not be done.
     */
    record Result(int suite, List<X509Certificate> chain, boolean ocspStapled, int tickets, Long maxEarlyData,
                  String error) {
    }

    private final Probe probe;
    private final String sni;

    Tls13Client(Probe probe, String sni) {
        this.probe = probe;
        this.sni = sni;
    }

    /** Handshakes offering only {@code schemes}; with {@code readTickets}, finishes and waits for tickets. */
    Result handshake(int[] schemes, boolean readTickets) {
        Result[] out = new Result[1];
        HelloResult failure = probe.withSocket(s -> {
            out[0] = run(s, schemes, readTickets);
            return null;
        });
        if (out[0] != null) {
            return out[0];
        }
        return new Result(0, List.of(), false, 0, null, failure == null ? "no answer" : failure.detail());
    }

    private Result run(Socket s, int[] schemes, boolean readTickets) throws IOException {
        KeyPair x25519;
        KeyPair p256;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
            g.initialize(NamedParameterSpec.X25519);
            x25519 = g.generateKeyPair();
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            p256 = ec.generateKeyPair();
        } catch (GeneralSecurityException e) {
            return failed("key generation unavailable: " + e.getMessage());
        }
        byte[] spki = x25519.getPublic().getEncoded();
        byte[] share = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        List<Integer> suites = Arrays.stream(SUITES).boxed().toList();
        // Shares for both common groups, so that servers preferring either answer without a HelloRetryRequest.
        byte[] record = Hellos.base(sni, ProtocolVersion.TLS_V1_3, suites).signatureAlgorithms(schemes)
                .ownKeyShare(NamedGroup.X25519, share)
                .ownKeyShare(NamedGroup.SECP256R1, uncompressed((ECPublicKey) p256.getPublic())).build();
        s.getOutputStream().write(record);
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        transcript.write(record, 5, record.length - 5);

        InputStream in = s.getInputStream();
        HandshakeMessage first = new HandshakeReader(in).next();
        if (first == null || first.type() != HandshakeMessage.SERVER_HELLO) {
            return failed("no ServerHello");
        }
        ServerHello sh = ServerHelloParser.parse(first);
        if (sh.helloRetryRequest() || sh.version() != 0x0304) {
            return failed(sh.helloRetryRequest() ? "server asked for a group other than X25519 and P-256"
                    : "server did not answer with TLS 1.3");
        }
        transcript.write(encode(first));
        byte[] serverShare = sh.extensions().get(ExtensionType.KEY_SHARE);
        int group = sh.selectedGroup().orElse(-1);
        Tls13KeySchedule ks = new Tls13KeySchedule(sh.cipherSuite());
        byte[] shared;
        try {
            if (serverShare == null) {
                return failed("no key_share in ServerHello");
            } else if (group == NamedGroup.X25519.code() && serverShare.length == 4 + 32) {
                shared = x25519(x25519, Arrays.copyOfRange(serverShare, 4, 36));
            } else if (group == NamedGroup.SECP256R1.code() && serverShare.length == 4 + 65) {
                shared = p256(p256, Arrays.copyOfRange(serverShare, 4, 69));
            } else {
                return failed("unusable key_share in ServerHello (group " + group + ")");
            }
        } catch (GeneralSecurityException e) {
            return failed("key agreement failed: " + e.getMessage());
        }
        byte[] zeros = new byte[ks.hashLength()];
        byte[] early = ks.extract(zeros, zeros);
        byte[] hs = ks.extract(ks.deriveSecret(early, "derived", new byte[0]), shared);
        byte[] chSh = transcript.toByteArray();
        Tls13KeySchedule.Protection server = ks.new Protection(ks.deriveSecret(hs, "s hs traffic", chSh));
        byte[] clientHs = ks.deriveSecret(hs, "c hs traffic", chSh);

        EncryptedReader reader = new EncryptedReader(in);
        List<X509Certificate> chain = List.of();
        boolean stapled = false;
        try {
            while (true) {
                byte[] msg = reader.next(server);
                transcript.write(msg);
                int type = msg[0] & 0xFF;
                if (type == HandshakeMessage.CERTIFICATE) {
                    chain = certificates(Arrays.copyOfRange(msg, 4, msg.length));
                    stapled = stapled(Arrays.copyOfRange(msg, 4, msg.length));
                } else if (type == FINISHED) {
                    break;
                }
            }
        } catch (GeneralSecurityException e) {
            return failed("cannot decrypt the server's handshake: " + e.getMessage());
        }
        if (!readTickets) {
            return new Result(sh.cipherSuite(), chain, stapled, 0, null, null);
        }
        byte[] toServerFinished = transcript.toByteArray();
        try {
            byte[] finishedKey = ks.expandLabel(clientHs, "finished", new byte[0], ks.hashLength());
            byte[] verify = ks.mac(finishedKey, ks.hash(toServerFinished));
            byte[] inner = ByteBuffer.allocate(4 + verify.length + 1).put((byte) FINISHED).put((byte) 0)
                    .putShort((short) verify.length).put(verify).put((byte) 22).array();
            s.getOutputStream().write(ks.new Protection(clientHs).seal(inner));
            byte[] master = ks.extract(ks.deriveSecret(hs, "derived", new byte[0]), zeros);
            Tls13KeySchedule.Protection serverApp = ks.new Protection(
                    ks.deriveSecret(master, "s ap traffic", toServerFinished));
            EncryptedReader appReader = new EncryptedReader(in);
            int tickets = 0;
            Long maxEarly = null;
            // Servers send their tickets right after the client's Finished; two is what OpenSSL sends.
            while (tickets < 2) {
                byte[] msg;
                try {
                    msg = appReader.next(serverApp);
                } catch (SocketTimeoutException | EOFException e) {
                    break;
                }
                if ((msg[0] & 0xFF) == NEW_SESSION_TICKET) {
                    tickets++;
                    s.setSoTimeout(Math.min(s.getSoTimeout(), 300)); // a second ticket comes at once or never
                    long early0 = earlyData(Arrays.copyOfRange(msg, 4, msg.length));
                    maxEarly = maxEarly == null ? early0 : Math.max(maxEarly, early0);
                }
            }
            return new Result(sh.cipherSuite(), chain, stapled, tickets, maxEarly, null);
        } catch (GeneralSecurityException e) {
            return new Result(sh.cipherSuite(), chain, stapled, 0, null, "cannot read tickets: " + e.getMessage());
        }
    }

    private static Result failed(String why) {
        return new Result(0, List.of(), false, 0, null, why);
    }

    private static byte[] encode(HandshakeMessage m) {
        int n = m.body().length;
        return ByteBuffer.allocate(4 + n).put((byte) m.type()).put((byte) (n >> 16)).put((byte) (n >> 8))
                .put((byte) n).put(m.body()).array();
    }

    private static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        copyFixed(key.getW().getAffineX(), out, 1);
        copyFixed(key.getW().getAffineY(), out, 33);
        return out;
    }

    private static void copyFixed(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
    }

    private static byte[] p256(KeyPair kp, byte[] point) throws GeneralSecurityException {
        ECParameterSpec params = ((ECPublicKey) kp.getPublic()).getParams();
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        var pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(kp.getPrivate());
        ka.doPhase(pub, true);
        return ka.generateSecret(); // the x-coordinate, as RFC 8446 section 7.4.2 wants
    }

    private static byte[] x25519(KeyPair kp, byte[] peer) throws GeneralSecurityException {
        byte[] le = peer.clone();
        le[31] &= 0x7F; // RFC 7748: the top bit of the u-coordinate is ignored
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        var pub = KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                new BigInteger(1, be)));
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(kp.getPrivate());
        ka.doPhase(pub, true);
        return ka.generateSecret();
    }

    /** RFC 8446 4.4.2: request context, then entries of (cert_data, extensions). */
    static List<X509Certificate> certificates(byte[] body) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(body);
        b.position(1 + (b.get(0) & 0xFF));
        int listLen = u24(b);
        int end = b.position() + listLen;
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (b.position() < end) {
                byte[] der = new byte[u24(b)];
                b.get(der);
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                int extLen = b.getShort() & 0xFFFF;
                b.position(b.position() + extLen);
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("undecodable TLS 1.3 Certificate message: " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    /** Whether the leaf's entry carries a status_request extension, i.e. a stapled OCSP response. */
    private static boolean stapled(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        b.position(1 + (b.get(0) & 0xFF));
        u24(b);
        int leafLen = u24(b);
        b.position(b.position() + leafLen);
        int extLen = b.getShort() & 0xFFFF;
        int extEnd = b.position() + extLen;
        while (b.position() + 4 <= extEnd) {
            int type = b.getShort() & 0xFFFF;
            int len = b.getShort() & 0xFFFF;
            if (type == ExtensionType.STATUS_REQUEST) {
                return true;
            }
            b.position(b.position() + len);
        }
        return false;
    }

    /** RFC 8446 4.6.1: lifetime, age_add, nonce, ticket, extensions; early_data carries max_early_data_size. */
    static long earlyData(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        b.position(8); // ticket_lifetime, ticket_age_add
        int nonceLen = b.get() & 0xFF;
        b.position(b.position() + nonceLen);
        int ticketLen = b.getShort() & 0xFFFF;
        b.position(b.position() + ticketLen);
        int extLen = b.getShort() & 0xFFFF;
        int extEnd = b.position() + extLen;
        while (b.position() + 4 <= extEnd) {
            int type = b.getShort() & 0xFFFF;
            int len = b.getShort() & 0xFFFF;
            if (type == ExtensionType.EARLY_DATA && len == 4) {
                return b.getInt() & 0xFFFFFFFFL;
            }
            b.position(b.position() + len);
        }
        return 0;
    }

    private static int u24(ByteBuffer b) {
        return ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
    }

    /** Reads protected records, strips the inner content type, and hands out whole handshake messages. */
    private static final class EncryptedReader {
        /** A server flight is a handful of records; a peer that keeps sending is cut off rather than followed. */
        private static final int MAX_RECORDS = 64;
        private final InputStream in;
        private byte[] pending = new byte[0];
        private int records;

        EncryptedReader(InputStream in) {
            this.in = in;
        }

        byte[] next(Tls13KeySchedule.Protection keys) throws IOException, GeneralSecurityException {
            while (true) {
                if (pending.length >= 4) {
                    int len = ((pending[1] & 0xFF) << 16) | ((pending[2] & 0xFF) << 8) | (pending[3] & 0xFF);
                    if (pending.length >= 4 + len) {
                        byte[] msg = Arrays.copyOf(pending, 4 + len);
                        pending = Arrays.copyOfRange(pending, 4 + len, pending.length);
                        return msg;
                    }
                }
                if (++records > MAX_RECORDS) {
                    throw new IOException("more than " + MAX_RECORDS + " records without the expected message");
                }
                byte[] header = in.readNBytes(5);
                if (header.length < 5) {
                    throw new EOFException("connection closed");
                }
                int type = header[0] & 0xFF;
                byte[] body = in.readNBytes(((header[3] & 0xFF) << 8) | (header[4] & 0xFF));
                if (type == 20) {
                    continue; // middlebox-compatibility ChangeCipherSpec
                }
                if (type == 21) {
                    throw new EOFException("alert " + (body.length > 1 ? body[1] & 0xFF : -1));
                }
                if (type != 23) {
                    throw new IOException("unexpected record type " + type + " after ServerHello");
                }
                byte[] inner = keys.open(header, body);
                int end = inner.length - 1;
                while (end >= 0 && inner[end] == 0) {
                    end--;
                }
                if (end < 0) {
                    throw new IOException("empty inner plaintext");
                }
                int contentType = inner[end] & 0xFF;
                if (contentType == 21) {
                    throw new EOFException("encrypted alert " + (end > 1 ? inner[1] & 0xFF : -1));
                }
                if (contentType != 22) {
                    continue; // application data or anything else: not a handshake message
                }
                byte[] merged = Arrays.copyOf(pending, pending.length + end);
                System.arraycopy(inner, 0, merged, pending.length, end);
                pending = merged;
            }
        }
    }
}
