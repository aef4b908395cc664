package io.portcullis.scan;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.portcullis.scan.ScanReport.QuicFinding;

/**
 * Does UDP answer QUIC? One long-header packet with a reserved version (RFC 9000 section 15, form 0x?a?a?a?a) padded
 * to 1200 bytes: every QUIC server must answer a version it does not speak with a Version Negotiation packet
 * (section 6) that echoes our connection IDs and lists its versions. No handshake, no TLS: a cheap, unambiguous
 * "QUIC is here", which none of testssl.sh, sslyze or SSL Labs check.
 */
final class QuicProbe {
    /** A reserved "greasing" version: guaranteed unknown to every server, so it always triggers negotiation. */
    static final int GREASE_VERSION = 0x1a2a3a4a;
    private static final int MIN_INITIAL = 1200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private QuicProbe() {
    }

    /** Sends the probe up to twice within {@code timeout}; a closed port (ICMP unreachable) answers at once. */
    static QuicFinding probe(InetSocketAddress target, Duration timeout, String why) {
        byte[] dcid = new byte[8];
        byte[] scid = new byte[8];
        RANDOM.nextBytes(dcid);
        RANDOM.nextBytes(scid);
        byte[] packet = packet(dcid, scid);
        int port = target.getPort();
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(target); // connected, so ICMP port unreachable surfaces as an exception
            int wait = (int) Math.max(100, timeout.toMillis() / 2);
            s.setSoTimeout(wait);
            byte[] buf = new byte[2048];
            for (int attempt = 0; attempt < 2; attempt++) {
                s.send(new DatagramPacket(packet, packet.length));
                try {
                    while (true) {
                        DatagramPacket in = new DatagramPacket(buf, buf.length);
                        s.receive(in);
                        List<String> versions = versionNegotiation(Arrays.copyOf(buf, in.getLength()), dcid, scid);
                        if (versions != null) {
                            return new QuicFinding(port, true, versions, "Version Negotiation received (" + why + ")");
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // resend once: UDP may simply have lost it
                }
            }
            return new QuicFinding(port, false, List.of(), "no answer within " + 2 * wait + " ms (" + why + ")");
        } catch (PortUnreachableException e) {
            return new QuicFinding(port, false, List.of(), "UDP port closed (ICMP port unreachable)");
        } catch (IOException e) {
            return new QuicFinding(port, false, List.of(), "UDP probe failed: " + e.getMessage());
        }
    }

    static byte[] packet(byte[] dcid, byte[] scid) {
        ByteBuffer b = ByteBuffer.allocate(MIN_INITIAL);
        // Long header (1), fixed bit (1), type Initial (00), low bits arbitrary.
        b.put((byte) 0xC3).putInt(GREASE_VERSION);
        b.put((byte) dcid.length).put(dcid).put((byte) scid.length).put(scid);
        // Shaped like a v1 Initial (empty token, then the length of what follows) because servers parse that much
        // of the header before looking at the version; random bytes there would often be dropped as malformed.
        b.put((byte) 0);
        int length = b.remaining() - 2;
        b.putShort((short) (0x4000 | length));
        byte[] rest = new byte[length];
        RANDOM.nextBytes(rest); // stands in for packet number and encrypted payload, never decrypted
        b.put(rest);
        return b.array();
    }

    /** The versions of a Version Negotiation packet answering ours, or null when the datagram is anything else. */
    static List<String> versionNegotiation(byte[] p, byte[] ourDcid, byte[] ourScid) {
        if (p.length < 7 || (p[0] & 0x80) == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(p);
        b.get();
        if (b.getInt() != 0) {
            return null;
        }
        byte[] dcid = new byte[b.get() & 0xFF];
        if (b.remaining() < dcid.length + 1) {
            return null;
        }
        b.get(dcid);
        byte[] scid = new byte[b.get() & 0xFF];
        if (b.remaining() < scid.length) {
            return null;
        }
        b.get(scid);
        // The server swaps the IDs: its destination is our source and vice versa (RFC 9000 section 17.2.1).
        if (!Arrays.equals(dcid, ourScid) || !Arrays.equals(scid, ourDcid)) {
            return null;
        }
        List<String> versions = new ArrayList<>();
        while (b.remaining() >= 4) {
            versions.add(versionName(b.getInt()));
        }
        return versions;
    }

    static String versionName(int v) {
        return switch (v) {
            case 0x00000001 -> "QUICv1";
            case 0x6b3343cf -> "QUICv2";
            default -> (v & 0xff000000) == 0xff000000 ? "draft-" + (v & 0xff)
                    : (v & 0x0f0f0f0f) == 0x0a0a0a0a ? String.format("grease-0x%08x", v) : String.format("0x%08x", v);
        };
    }
}
