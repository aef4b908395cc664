package io.portcullis.tls.wire;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SSL 2.0 (draft-hickman-netscape-ssl-00): the ClientHello a scanner sends to detect DROWN-prone servers, and the
 * parser for the SERVER-HELLO they answer with. SSLv2 predates the TLS record layer, so it has its own codec.
 */
public final class SslV2Hello {
    /** The seven SSLv2 cipher kinds (3-byte codes) and their names. */
    public static final Map<Integer, String> CIPHER_KINDS = Map.of(
            0x010080, "SSL_CK_RC4_128_WITH_MD5",
            0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5",
            0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5",
            0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5",
            0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5",
            0x060040, "SSL_CK_DES_64_CBC_WITH_MD5",
            0x0700C0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");

    private SslV2Hello() {
    }

    /** A SSLv2 SERVER-HELLO: the server's cipher kinds and its certificate, if it sent an X.509 one. */
    public record ServerHello(int version, List<Integer> cipherKinds, X509Certificate certificate) {
    }

    /** CLIENT-HELLO offering every SSLv2 cipher kind, two-byte header, 16-byte challenge. */
    public static byte[] clientHello() {
        ByteWriter w = new ByteWriter();
        int[] kinds = {0x0700C0, 0x050080, 0x030080, 0x010080, 0x060040, 0x040080, 0x020080};
        int bodyLen = 9 + kinds.length * 3 + 16;
        w.u16(0x8000 | bodyLen);
        w.u8(1).u16(0x0002).u16(kinds.length * 3).u16(0).u16(16);
        for (int k : kinds) {
            w.u8(k >> 16).u16(k & 0xFFFF);
        }
        byte[] challenge = new byte[16];
        new SecureRandom().nextBytes(challenge);
        w.bytes(challenge);
        return w.toByteArray();
    }

    /**
     * Reads a SERVER-HELLO. A TLS server answers an SSLv2 hello with a TLS alert or closes; both surface as
     * {@link TlsDecodeException} or {@link EOFException}, which a probe reads as "SSLv2 not offered".
     */
    public static ServerHello readServerHello(InputStream in) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        if ((b0 & 0x80) == 0) {
            throw new TlsDecodeException("not an SSLv2 record (first byte 0x" + Integer.toHexString(b0) + ")");
        }
        int len = ((b0 & 0x7F) << 8) | b1;
        byte[] body = in.readNBytes(len);
        if (body.length < len) {
            throw new EOFException("connection closed inside an SSLv2 record");
        }
        ByteReader r = new ByteReader(body);
        if (r.u8("message type") != 4) {
            throw new TlsDecodeException("SSLv2 message is not SERVER-HELLO");
        }
        r.u8("session_id_hit");
        int certType = r.u8("certificate_type");
        int version = r.u16("server_version");
        int certLen = r.u16("certificate length");
        int specLen = r.u16("cipher_specs length");
        r.u16("connection_id length");
        byte[] cert = r.bytes(certLen, "certificate");
        List<Integer> kinds = new ArrayList<>();
        ByteReader specs = r.slice(specLen, "cipher_specs");
        while (specs.remaining() >= 3) {
            kinds.add((specs.u8("kind") << 16) | specs.u16("kind"));
        }
        X509Certificate x509 = null;
        if (certType == 1 && certLen > 0) {
            try {
                x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(cert));
            } catch (CertificateException e) {
                x509 = null; // the cipher list alone proves SSLv2; an odd certificate does not change that
            }
        }
        return new ServerHello(version, List.copyOf(kinds), x509);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by peer");
        }
        return b;
    }
}
