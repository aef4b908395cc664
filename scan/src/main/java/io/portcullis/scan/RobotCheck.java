package io.portcullis.scan;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.CertificateMessageParser;
import io.portcullis.tls.wire.HandshakeMessage;
import io.portcullis.tls.wire.HandshakeReader;
import io.portcullis.tls.wire.Records;

/**
 * ROBOT (Böck, Somorovsky, Young 2017): a server offering RSA key exchange must answer every malformed
 * PKCS#1 v1.5 premaster exactly like a well-formed one with a wrong key; if some malformations draw a different
 * alert, a close instead of an alert, or a timeout, it is a Bleichenbacher oracle. Five ClientKeyExchange variants
 * (the paper's vectors) are each sent with a ChangeCipherSpec and a garbage Finished, and the answers compared.
 * Differences are re-tested once so that one slow answer cannot make a verdict. Nothing is decrypted.
 */
final class RobotCheck {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long to wait for the server's verdict on our Finished. */
    private static final int ANSWER_MILLIS = 1500;

    private final Probe probe;
    private final String sni;
    private final ProtocolVersion version;
    private final List<Integer> rsaSuites;

    RobotCheck(Probe probe, String sni, ProtocolVersion version, List<Integer> rsaSuites) {
        this.probe = probe;
        this.sni = sni;
        this.version = version;
        this.rsaSuites = rsaSuites;
    }

    enum Vector {
        /** 00 02 padding 00 client_version random: well formed, only the key is wrong for the server. */
        VALID,
        /** first bytes 41 17 instead of 00 02. */
        WRONG_HEADER,
        /** the 00 separator too early: the "premaster" is longer than 48 bytes. */
        EARLY_SEPARATOR,
        /** no 00 separator at all. */
        NO_SEPARATOR,
        /** well formed, but the premaster carries version 02 02. */
        WRONG_VERSION
    }

    VulnerabilityFinding run() {
        if (rsaSuites.isEmpty()) {
            return new VulnerabilityFinding("robot", "not_applicable", "no RSA key exchange suites");
        }
        Map<Vector, String> answers = new LinkedHashMap<>();
        for (Vector v : Vector.values()) {
            answers.put(v, answer(v));
        }
        if (answers.values().stream().anyMatch(a -> a.startsWith("error"))) {
            return new VulnerabilityFinding("robot", "unknown", "probe failed: " + answers);
        }
        if (answers.values().stream().distinct().count() == 1) {
            return new VulnerabilityFinding("robot", "ok", "all 5 malformed premasters answered alike ("
                    + answers.get(Vector.VALID) + ")");
        }
        // Confirm: an oracle answers the same malformation the same way every time.
        Map<Vector, String> again = new LinkedHashMap<>();
        for (Vector v : Vector.values()) {
            again.put(v, answer(v));
        }
        if (!again.equals(answers)) {
            return new VulnerabilityFinding("robot", "unknown", "answers differ but not consistently: " + answers
                    + " then " + again);
        }
        return new VulnerabilityFinding("robot", "vulnerable", "Bleichenbacher oracle: " + answers);
    }

    /** One handshake with one crafted premaster: the server's reaction as a comparable string. */
    String answer(Vector vector) {
        String[] out = new String[1];
        HelloResult failure = probe.withSocket(s -> {
            s.getOutputStream().write(Hellos.hello(sni, version, rsaSuites));
            HandshakeReader reader = new HandshakeReader(s.getInputStream());
            X509Certificate leaf = null;
            while (true) {
                HandshakeMessage m = reader.next();
                if (m == null) {
                    out[0] = "error: no ServerHelloDone";
                    return null;
                }
                if (m.type() == HandshakeMessage.CERTIFICATE) {
                    List<X509Certificate> chain = CertificateMessageParser.parse(m);
                    leaf = chain.isEmpty() ? null : chain.get(0);
                }
                if (m.type() == HandshakeMessage.SERVER_HELLO_DONE) {
                    break;
                }
            }
            if (leaf == null || !(leaf.getPublicKey() instanceof RSAPublicKey key)) {
                out[0] = "error: no RSA certificate";
                return null;
            }
            int wire = version.wireCode();
            byte[] cke = clientKeyExchange(key, vector, wire);
            List<byte[]> flight = new ArrayList<>();
            flight.add(Records.encode(Records.HANDSHAKE, wire, cke));
            flight.add(Records.changeCipherSpec(wire));
            byte[] finished = new byte[64]; // what a Finished under keys we do not share looks like: noise
            RANDOM.nextBytes(finished);
            flight.add(Records.encode(Records.HANDSHAKE, wire, finished));
            for (byte[] rec : flight) {
                s.getOutputStream().write(rec);
            }
            s.getOutputStream().flush();
            s.setSoTimeout(ANSWER_MILLIS);
            out[0] = reaction(s.getInputStream());
            return null;
        });
        if (out[0] != null) {
            return out[0];
        }
        return "error: " + (failure == null ? "no answer" : failure.detail());
    }

    private static String reaction(InputStream in) {
        try {
            Records.Record r = Records.read(in);
            if (r == null) {
                return "closed";
            }
            if (r.type() == Records.ALERT && r.body().length >= 2) {
                return "alert " + (r.body()[1] & 0xFF);
            }
            return "record " + r.type();
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (EOFException e) {
            return "closed";
        } catch (SocketException e) {
            return "reset";
        } catch (IOException e) {
            return "io " + e.getClass().getSimpleName();
        }
    }

    static byte[] clientKeyExchange(RSAPublicKey key, Vector vector, int clientVersion) {
        int k = (key.getModulus().bitLength() + 7) / 8;
        byte[] m = new byte[k];
        m[0] = 0x00;
        m[1] = 0x02;
        for (int i = 2; i < k; i++) {
            m[i] = (byte) (1 + RANDOM.nextInt(255)); // nonzero padding
        }
        int sep = k - 49;
        m[sep] = 0x00;
        m[sep + 1] = (byte) (clientVersion >> 8); // the premaster starts with the ClientHello's version
        m[sep + 2] = (byte) clientVersion;
        switch (vector) {
            case VALID -> { }
            case WRONG_HEADER -> {
                m[0] = 0x41;
                m[1] = 0x17;
            }
            case EARLY_SEPARATOR -> m[11] = 0x00;
            case NO_SEPARATOR -> m[sep] = 0x01;
            case WRONG_VERSION -> {
                m[sep + 1] = 0x02;
                m[sep + 2] = 0x02;
            }
        }
        byte[] c = new BigInteger(1, m).modPow(key.getPublicExponent(), key.getModulus()).toByteArray();
        byte[] enc = new byte[k];
        int n = Math.min(c.length, k);
        System.arraycopy(c, c.length - n, enc, k - n, n);
        int bodyLen = 2 + k;
        byte[] msg = new byte[4 + bodyLen];
        msg[0] = 16; // client_key_exchange
        msg[1] = (byte) (bodyLen >> 16);
        msg[2] = (byte) (bodyLen >> 8);
        msg[3] = (byte) bodyLen;
        msg[4] = (byte) (k >> 8);
        msg[5] = (byte) k;
        System.arraycopy(enc, 0, msg, 6, k);
        return msg;
    }
}
