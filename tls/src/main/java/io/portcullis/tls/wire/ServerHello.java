package io.portcullis.tls.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.portcullis.tls.ProtocolVersion;

/**
 * A parsed ServerHello (or HelloRetryRequest, which shares its format).
 *
 * @param legacyVersion     the version field of the body (0x0303 for TLS 1.3)
 * @param version           the negotiated version: supported_versions if present, else {@code legacyVersion}
 * @param cipherSuite       the chosen code point
 * @param compression       the chosen compression method (1 = DEFLATE)
 * @param extensions        extension type to raw body, in the order sent
 * @param helloRetryRequest the random is the RFC 8446 HelloRetryRequest constant
 */
public record ServerHello(int legacyVersion, int version, byte[] random, byte[] sessionId, int cipherSuite,
                          int compression, Map<Integer, byte[]> extensions, boolean helloRetryRequest) {

    public Optional<ProtocolVersion> protocol() {
        return ProtocolVersion.fromWireCode(version);
    }

    public boolean has(int extensionType) {
        return extensions.containsKey(extensionType);
    }

    /** The group of the key_share extension: the server's share in a ServerHello, its demand in an HRR. */
    public OptionalInt selectedGroup() {
        byte[] ks = extensions.get(ExtensionType.KEY_SHARE);
        if (ks == null || ks.length < 2) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(((ks[0] & 0xFF) << 8) | (ks[1] & 0xFF));
    }

    /** The ALPN protocol the server picked (visible here up to TLS 1.2; TLS 1.3 encrypts it). */
    public Optional<String> alpn() {
        byte[] a = extensions.get(ExtensionType.ALPN);
        if (a == null || a.length < 3) {
            return Optional.empty();
        }
        int len = a[2] & 0xFF;
        return Optional.of(new String(a, 3, Math.min(len, a.length - 3), StandardCharsets.US_ASCII));
    }

    /** RFC 5746: the server echoed renegotiation_info, so it supports secure renegotiation. */
    public boolean secureRenegotiation() {
        return has(ExtensionType.RENEGOTIATION_INFO);
    }
}
