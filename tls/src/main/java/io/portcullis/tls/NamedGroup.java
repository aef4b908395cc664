package io.portcullis.tls;

import java.util.Locale;
import java.util.Optional;

/**
 * Key-exchange groups ({@code supported_groups} / {@code key_share}) with their IANA code point, the IANA name,
 * the name used in Portcullis config, and the name OpenSSL/BoringSSL take in a groups list
 * ({@code SSL_CTX_set1_groups_list}).
 */
public enum NamedGroup {
    SECP256R1(23, "secp256r1", "P-256", "P-256", true),
    SECP384R1(24, "secp384r1", "P-384", "P-384", true),
    SECP521R1(25, "secp521r1", "P-521", "P-521", true),
    X25519(29, "x25519", "X25519", "X25519", true),
    X448(30, "x448", "X448", "X448", false),
    FFDHE2048(256, "ffdhe2048", "ffdhe2048", "ffdhe2048", false),
    FFDHE3072(257, "ffdhe3072", "ffdhe3072", "ffdhe3072", false),
    FFDHE4096(258, "ffdhe4096", "ffdhe4096", "ffdhe4096", false),
    FFDHE6144(259, "ffdhe6144", "ffdhe6144", "ffdhe6144", false),
    FFDHE8192(260, "ffdhe8192", "ffdhe8192", "ffdhe8192", false),
    /** Hybrid post-quantum key agreement (ML-KEM-768 + X25519), what current browsers offer first. */
    X25519_MLKEM768(0x11EC, "X25519MLKEM768", "X25519MLKEM768", "X25519MLKEM768", true),
    SECP256R1_MLKEM768(0x11EB, "SecP256r1MLKEM768", "SecP256r1MLKEM768", "P256MLKEM768", false),
    /** The pre-standard Kyber draft some 2024 clients still send. */
    X25519_KYBER768_DRAFT00(0x6399, "X25519Kyber768Draft00", "X25519Kyber768Draft00", "X25519Kyber768Draft00", true);

    private final int code;
    private final String ianaName;
    private final String configName;
    private final String openSslName;
    private final boolean boringSsl;

    NamedGroup(int code, String ianaName, String configName, String openSslName, boolean boringSsl) {
        this.code = code;
        this.ianaName = ianaName;
        this.configName = configName;
        this.openSslName = openSslName;
        this.boringSsl = boringSsl;
    }

    public int code() {
        return code;
    }

    public String ianaName() {
        return ianaName;
    }

    /** The spelling used in Portcullis config and reports, e.g. {@code P-256}. */
    public String configName() {
        return configName;
    }

    /** The name for an OpenSSL/BoringSSL groups list, e.g. {@code P-256}, {@code X25519}. */
    public String openSslName() {
        return openSslName;
    }

    /** Whether the BoringSSL bundled with netty-tcnative can negotiate this group. */
    public boolean supportedByBoringSsl() {
        return boringSsl;
    }

    public boolean isPostQuantumHybrid() {
        return this == X25519_MLKEM768 || this == SECP256R1_MLKEM768 || this == X25519_KYBER768_DRAFT00;
    }

    public static Optional<NamedGroup> fromCode(int code) {
        for (NamedGroup g : values()) {
            if (g.code == code) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Accepts the config, IANA or OpenSSL name, plus the common aliases {@code prime256v1}, case-insensitively. */
    public static Optional<NamedGroup> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("prime256v1")) {
            return Optional.of(SECP256R1);
        }
        for (NamedGroup g : values()) {
            if (g.configName.toLowerCase(Locale.ROOT).equals(n) || g.ianaName.toLowerCase(Locale.ROOT).equals(n)
                    || g.openSslName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
