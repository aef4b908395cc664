package io.portcullis.tls.wire;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;

/**
 * Builds a ClientHello record byte by byte, because a scanner must offer what no TLS library will: SSLv3, arbitrary
 * suite lists including SCSVs, DEFLATE compression, groups without key shares. Every knob defaults to what a modern
 * browser would send for the chosen version; {@link #build()} returns one complete handshake record.
 *
 * <p>Not thread-safe; cheap to create per probe.
 */
public final class ClientHelloBuilder {
    /** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746). */
    public static final int EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF;
    /** TLS_FALLBACK_SCSV (RFC 7507). */
    public static final int FALLBACK_SCSV = 0x5600;
    /** What browsers send; covers RSA-PSS, ECDSA, EdDSA and the legacy SHA-1 schemes old servers need. */
    public static final int[] DEFAULT_SIGNATURE_ALGORITHMS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501,
        0x0603, 0x0806, 0x0601, 0x0807, 0x0808, 0x0203, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202};

    private static final SecureRandom RANDOM = new SecureRandom();

    private int recordVersion = 0x0301;
    private ProtocolVersion version = ProtocolVersion.TLS_V1_2;
    private byte[] random;
    private byte[] sessionId = new byte[0];
    private List<Integer> cipherSuites = List.of();
    private int[] compressionMethods = {0};
    private String serverName;
    private List<NamedGroup> supportedGroups = List.of(NamedGroup.X25519, NamedGroup.SECP256R1,
            NamedGroup.SECP384R1);
    private List<Integer> extraGroupCodes = List.of();
    private List<NamedGroup> keyShares = List.of(NamedGroup.X25519, NamedGroup.SECP256R1);
    private List<String> alpn = List.of();
    private int[] signatureAlgorithms = DEFAULT_SIGNATURE_ALGORITHMS;
    private final List<NamedGroup> ownShareGroups = new ArrayList<>();
    private final List<byte[]> ownShares = new ArrayList<>();
    private boolean extensions = true;
    private boolean statusRequest = true;
    private boolean sessionTicket = true;
    private boolean renegotiationInfo = true;
    private final List<Integer> extraTypes = new ArrayList<>();
    private final List<byte[]> extraBodies = new ArrayList<>();

    /**
     * The protocol to offer. For TLS 1.3 the legacy version is 0x0303 and the {@code supported_versions} extension
     * names 1.3 only, so a 1.3 probe never falls back silently.
     */
    public ClientHelloBuilder version(ProtocolVersion v) {
        if (v == ProtocolVersion.SSL_V2) {
            throw new IllegalArgumentException("SSLv2 hellos have another format (use SslV2Hello)");
        }
        this.version = v;
        this.recordVersion = v == ProtocolVersion.SSL_V3 ? 0x0300 : 0x0301;
        return this;
    }

    /** The version in the record header; 0x0301 by default for TLS (what OpenSSL and browsers send). */
    public ClientHelloBuilder recordVersion(int v) {
        this.recordVersion = v;
        return this;
    }

    public ClientHelloBuilder random(byte[] r) {
        if (r.length != 32) {
            throw new IllegalArgumentException("random of " + r.length + " bytes (expected: 32)");
        }
        this.random = r.clone();
        return this;
    }

    public ClientHelloBuilder sessionId(byte[] id) {
        this.sessionId = id.clone();
        return this;
    }

    /** Code points in offer order; SCSVs (0x00FF, 0x5600) go here too. Unknown code points are allowed. */
    public ClientHelloBuilder cipherSuites(List<Integer> codes) {
        this.cipherSuites = List.copyOf(codes);
        return this;
    }

    /** Compression methods in order; {@code {1, 0}} offers DEFLATE first, to detect CRIME-prone servers. */
    public ClientHelloBuilder compressionMethods(int... methods) {
        this.compressionMethods = methods.clone();
        return this;
    }

    /** SNI host name; null or an IP literal sends no server_name (RFC 6066 forbids IP literals there). */
    public ClientHelloBuilder serverName(String name) {
        this.serverName = name;
        return this;
    }

    public ClientHelloBuilder supportedGroups(List<NamedGroup> groups) {
        this.supportedGroups = List.copyOf(groups);
        return this;
    }

    /** Raw group code points appended after {@link #supportedGroups}, for groups the registry does not name. */
    public ClientHelloBuilder extraGroupCodes(List<Integer> codes) {
        this.extraGroupCodes = List.copyOf(codes);
        return this;
    }

    /** Groups to send a key share for (TLS 1.3 only). Empty forces a HelloRetryRequest naming the server's pick. */
    public ClientHelloBuilder keyShares(List<NamedGroup> groups) {
        this.keyShares = List.copyOf(groups);
        return this;
    }

    /** The signature_algorithms to offer; one key type only makes a server show that key type's certificate. */
    public ClientHelloBuilder signatureAlgorithms(int... schemes) {
        this.signatureAlgorithms = schemes.clone();
        return this;
    }

    /**
     * A key share whose private half the caller holds (TLS 1.3); call once per group. Once any is given they are
     * sent instead of {@link #keyShares}: for a client that goes on to derive the handshake keys.
     */
    public ClientHelloBuilder ownKeyShare(NamedGroup group, byte[] publicKey) {
        this.ownShareGroups.add(group);
        this.ownShares.add(publicKey.clone());
        return this;
    }

    public ClientHelloBuilder alpn(List<String> protocols) {
        this.alpn = List.copyOf(protocols);
        return this;
    }

    /** Whether to send any extensions at all (true by default; false builds a bare SSLv3-style hello). */
    public ClientHelloBuilder extensions(boolean on) {
        this.extensions = on;
        return this;
    }

    public ClientHelloBuilder statusRequest(boolean on) {
        this.statusRequest = on;
        return this;
    }

    public ClientHelloBuilder sessionTicket(boolean on) {
        this.sessionTicket = on;
        return this;
    }

    /** The renegotiation_info extension (RFC 5746); off lets a probe use the SCSV alone. */
    public ClientHelloBuilder renegotiationInfo(boolean on) {
        this.renegotiationInfo = on;
        return this;
    }

    /**
     * Appends an extension the builder has no knob for, after all others; e.g. heartbeat (15) with body
     * {@code 01} (peer_allowed_to_send) for the Heartbleed probe.
     */
    public ClientHelloBuilder extension(int type, byte[] body) {
        extraTypes.add(type);
        extraBodies.add(body.clone());
        return this;
    }

    /** The complete record: header (type 22), then the handshake header (type 1), then the ClientHello body. */
    public byte[] build() {
        ByteWriter w = new ByteWriter();
        w.u8(22).u16(recordVersion);
        int recLen = w.begin(2);
        w.u8(1);
        int hsLen = w.begin(3);
        boolean tls13 = version == ProtocolVersion.TLS_V1_3;
        w.u16(tls13 ? 0x0303 : version.wireCode());
        byte[] r = random;
        if (r == null) {
            r = new byte[32];
            RANDOM.nextBytes(r);
        }
        w.bytes(r);
        w.u8(sessionId.length).bytes(sessionId);
        int suites = w.begin(2);
        for (int c : cipherSuites) {
            w.u16(c);
        }
        w.end(suites);
        w.u8(compressionMethods.length);
        for (int m : compressionMethods) {
            w.u8(m);
        }
        if (extensions) {
            int exts = w.begin(2);
            writeExtensions(w, tls13);
            w.end(exts);
        }
        w.end(hsLen);
        w.end(recLen);
        return w.toByteArray();
    }

    private void writeExtensions(ByteWriter w, boolean tls13) {
        if (serverName != null && !serverName.isEmpty() && !isIpLiteral(serverName)) {
            byte[] host = IDN.toASCII(serverName).getBytes(StandardCharsets.US_ASCII);
            w.u16(ExtensionType.SERVER_NAME);
            int ext = w.begin(2);
            int list = w.begin(2);
            w.u8(0).u16(host.length).bytes(host);
            w.end(list).end(ext);
        }
        if (version.compareTo(ProtocolVersion.TLS_V1_0) >= 0 || !supportedGroups.isEmpty()) {
            w.u16(ExtensionType.SUPPORTED_GROUPS);
            int ext = w.begin(2);
            int list = w.begin(2);
            supportedGroups.forEach(g -> w.u16(g.code()));
            extraGroupCodes.forEach(w::u16);
            w.end(list).end(ext);
            // ec_point_formats: uncompressed only; RFC 8422 servers still expect it from TLS 1.2 clients.
            w.u16(ExtensionType.EC_POINT_FORMATS).u16(2).u8(1).u8(0);
        }
        if (version.compareTo(ProtocolVersion.TLS_V1_2) >= 0) {
            w.u16(ExtensionType.SIGNATURE_ALGORITHMS);
            int ext = w.begin(2);
            int list = w.begin(2);
            for (int s : signatureAlgorithms) {
                w.u16(s);
            }
            w.end(list).end(ext);
        }
        if (!alpn.isEmpty()) {
            w.u16(ExtensionType.ALPN);
            int ext = w.begin(2);
            int list = w.begin(2);
            for (String p : alpn) {
                byte[] b = p.getBytes(StandardCharsets.US_ASCII);
                w.u8(b.length).bytes(b);
            }
            w.end(list).end(ext);
        }
        if (statusRequest) {
            // status_type ocsp(1), empty responder_id_list, empty request_extensions.
            w.u16(ExtensionType.STATUS_REQUEST).u16(5).u8(1).u16(0).u16(0);
        }
        if (sessionTicket) {
            w.u16(ExtensionType.SESSION_TICKET).u16(0);
        }
        w.u16(ExtensionType.EXTENDED_MASTER_SECRET).u16(0);
        if (renegotiationInfo && !tls13) {
            w.u16(ExtensionType.RENEGOTIATION_INFO).u16(1).u8(0);
        }
        if (tls13) {
            w.u16(ExtensionType.SUPPORTED_VERSIONS).u16(3).u8(2).u16(0x0304);
            w.u16(ExtensionType.PSK_KEY_EXCHANGE_MODES).u16(2).u8(1).u8(1);
            w.u16(ExtensionType.KEY_SHARE);
            int ext = w.begin(2);
            int list = w.begin(2);
            if (!ownShares.isEmpty()) {
                for (int i = 0; i < ownShares.size(); i++) {
                    w.u16(ownShareGroups.get(i).code()).u16(ownShares.get(i).length).bytes(ownShares.get(i));
                }
            } else {
                for (NamedGroup g : keyShares) {
                    byte[] key = KeyShares.publicShare(g);
                    w.u16(g.code()).u16(key.length).bytes(key);
                }
            }
            w.end(list).end(ext);
        }
        for (int i = 0; i < extraTypes.size(); i++) {
            w.u16(extraTypes.get(i)).u16(extraBodies.get(i).length).bytes(extraBodies.get(i));
        }
    }

    private static boolean isIpLiteral(String s) {
        return s.indexOf(':') >= 0 || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
