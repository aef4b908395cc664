package io.portcullis.tls;

import java.util.Locale;
import java.util.Optional;

/**
 * SSL/TLS protocol versions with their wire code (the {@code ProtocolVersion} of a record or hello) and the names
 * the JDK ({@code SSLEngine.setEnabledProtocols}) and OpenSSL/BoringSSL use for them. Ordered oldest first, so
 * {@link #compareTo} means "older than".
 */
public enum ProtocolVersion {
    SSL_V2(0x0002, "SSLv2", "SSLv2", "SSL 2.0"),
    SSL_V3(0x0300, "SSLv3", "SSLv3", "SSL 3.0"),
    TLS_V1_0(0x0301, "TLSv1", "TLSv1", "TLS 1.0"),
    TLS_V1_1(0x0302, "TLSv1.1", "TLSv1.1", "TLS 1.1"),
    TLS_V1_2(0x0303, "TLSv1.2", "TLSv1.2", "TLS 1.2"),
    TLS_V1_3(0x0304, "TLSv1.3", "TLSv1.3", "TLS 1.3");

    private final int wireCode;
    private final String jdkName;
    private final String openSslName;
    private final String displayName;

    ProtocolVersion(int wireCode, String jdkName, String openSslName, String displayName) {
        this.wireCode = wireCode;
        this.jdkName = jdkName;
        this.openSslName = openSslName;
        this.displayName = displayName;
    }

    /** The two bytes on the wire, e.g. {@code 0x0303} for TLS 1.2. */
    public int wireCode() {
        return wireCode;
    }

    /** The JSSE name, e.g. {@code TLSv1.2}; also what {@code SSLSession.getProtocol()} returns. */
    public String jdkName() {
        return jdkName;
    }

    /** The OpenSSL/BoringSSL name, e.g. {@code TLSv1.2} (Netty passes these through to the native engine). */
    public String openSslName() {
        return openSslName;
    }

    /** For humans and reports, e.g. {@code TLS 1.2}. */
    public String displayName() {
        return displayName;
    }

    /** True for everything older than TLS 1.2: only ever enabled by an explicit insecure opt-in. */
    public boolean isLegacy() {
        return compareTo(TLS_V1_2) < 0;
    }

    public static Optional<ProtocolVersion> fromWireCode(int code) {
        for (ProtocolVersion v : values()) {
            if (v.wireCode == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Accepts the JDK/OpenSSL name ({@code TLSv1.2}), the display name ({@code TLS 1.2}), {@code TLSv1.0} and
     * {@code TLS1.2}, case-insensitively.
     */
    public static Optional<ProtocolVersion> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace(" ", "").replace("v", "");
        if (n.equals("tls1.0")) {
            n = "tls1";
        }
        for (ProtocolVersion v : values()) {
            if (v.jdkName.toLowerCase(Locale.ROOT).replace("v", "").equals(n)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
