package io.portcullis.tls;

import static io.portcullis.tls.Authentication.DSS;
import static io.portcullis.tls.Authentication.ECDSA;
import static io.portcullis.tls.Authentication.NONE;
import static io.portcullis.tls.BulkCipher.AES_128_CBC;
import static io.portcullis.tls.BulkCipher.AES_128_CCM;
import static io.portcullis.tls.BulkCipher.AES_128_CCM_8;
import static io.portcullis.tls.BulkCipher.AES_128_GCM;
import static io.portcullis.tls.BulkCipher.AES_256_CBC;
import static io.portcullis.tls.BulkCipher.AES_256_GCM;
import static io.portcullis.tls.BulkCipher.CHACHA20_POLY1305;
import static io.portcullis.tls.BulkCipher.DES40_CBC;
import static io.portcullis.tls.BulkCipher.DES_CBC;
import static io.portcullis.tls.BulkCipher.RC4_128;
import static io.portcullis.tls.BulkCipher.RC4_40;
import static io.portcullis.tls.BulkCipher.TRIPLE_DES_EDE_CBC;
import static io.portcullis.tls.KeyExchange.DHE;
import static io.portcullis.tls.KeyExchange.DHE_EXPORT;
import static io.portcullis.tls.KeyExchange.DH_ANON;
import static io.portcullis.tls.KeyExchange.ECDHE;
import static io.portcullis.tls.KeyExchange.ECDH_ANON;
import static io.portcullis.tls.KeyExchange.RSA_EXPORT;
import static io.portcullis.tls.KeyExchange.TLS13;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cipher-suite registry: every constant is named exactly by its IANA name, so {@link #ianaName()} is
 * {@link #name()}. It holds the TLS 1.3 suites, everything Mozilla's modern/intermediate/old profiles name, and the
 * common weak suites (static RSA, CBC, 3DES, RC4, NULL, EXPORT, anonymous) a server must be able to translate and a
 * scanner must recognise. The scanner extends this to the full IANA list by appending constants; nothing here depends
 * on the set being closed.
 */
public enum CipherSuite {
    // TLS 1.3 (RFC 8446): key exchange and authentication are negotiated separately.
    TLS_AES_128_GCM_SHA256(0x1301, "TLS_AES_128_GCM_SHA256", TLS13, Authentication.TLS13, AES_128_GCM),
    TLS_AES_256_GCM_SHA384(0x1302, "TLS_AES_256_GCM_SHA384", TLS13, Authentication.TLS13, AES_256_GCM),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, "TLS_CHACHA20_POLY1305_SHA256", TLS13, Authentication.TLS13,
            CHACHA20_POLY1305),
    TLS_AES_128_CCM_SHA256(0x1304, "TLS_AES_128_CCM_SHA256", TLS13, Authentication.TLS13, AES_128_CCM),
    TLS_AES_128_CCM_8_SHA256(0x1305, "TLS_AES_128_CCM_8_SHA256", TLS13, Authentication.TLS13, AES_128_CCM_8),

    // TLS 1.2 ECDHE + AEAD (Mozilla intermediate).
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xC02B, "ECDHE-ECDSA-AES128-GCM-SHA256", ECDHE, ECDSA, AES_128_GCM),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xC02F, "ECDHE-RSA-AES128-GCM-SHA256", ECDHE, Authentication.RSA,
            AES_128_GCM),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xC02C, "ECDHE-ECDSA-AES256-GCM-SHA384", ECDHE, ECDSA, AES_256_GCM),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xC030, "ECDHE-RSA-AES256-GCM-SHA384", ECDHE, Authentication.RSA,
            AES_256_GCM),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA9, "ECDHE-ECDSA-CHACHA20-POLY1305", ECDHE, ECDSA,
            CHACHA20_POLY1305),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA8, "ECDHE-RSA-CHACHA20-POLY1305", ECDHE, Authentication.RSA,
            CHACHA20_POLY1305),

    // TLS 1.2 DHE + AEAD (Mozilla intermediate lists them; BoringSSL does not implement DHE).
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256(0x009E, "DHE-RSA-AES128-GCM-SHA256", DHE, Authentication.RSA, AES_128_GCM),
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384(0x009F, "DHE-RSA-AES256-GCM-SHA384", DHE, Authentication.RSA, AES_256_GCM),
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xCCAA, "DHE-RSA-CHACHA20-POLY1305", DHE, Authentication.RSA,
            CHACHA20_POLY1305),

    // ECDHE + CBC (Mozilla old).
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256(0xC023, "ECDHE-ECDSA-AES128-SHA256", ECDHE, ECDSA, AES_128_CBC),
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256(0xC027, "ECDHE-RSA-AES128-SHA256", ECDHE, Authentication.RSA, AES_128_CBC),
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384(0xC024, "ECDHE-ECDSA-AES256-SHA384", ECDHE, ECDSA, AES_256_CBC),
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384(0xC028, "ECDHE-RSA-AES256-SHA384", ECDHE, Authentication.RSA, AES_256_CBC),
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA(0xC009, "ECDHE-ECDSA-AES128-SHA", ECDHE, ECDSA, AES_128_CBC),
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA(0xC013, "ECDHE-RSA-AES128-SHA", ECDHE, Authentication.RSA, AES_128_CBC),
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA(0xC00A, "ECDHE-ECDSA-AES256-SHA", ECDHE, ECDSA, AES_256_CBC),
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA(0xC014, "ECDHE-RSA-AES256-SHA", ECDHE, Authentication.RSA, AES_256_CBC),

    // DHE + CBC.
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA256(0x0067, "DHE-RSA-AES128-SHA256", DHE, Authentication.RSA, AES_128_CBC),
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA256(0x006B, "DHE-RSA-AES256-SHA256", DHE, Authentication.RSA, AES_256_CBC),
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA(0x0033, "DHE-RSA-AES128-SHA", DHE, Authentication.RSA, AES_128_CBC),
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA(0x0039, "DHE-RSA-AES256-SHA", DHE, Authentication.RSA, AES_256_CBC),
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA(0x0032, "DHE-DSS-AES128-SHA", DHE, DSS, AES_128_CBC),
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA(0x0038, "DHE-DSS-AES256-SHA", DHE, DSS, AES_256_CBC),

    // Static RSA key transport: no forward secrecy (ROBOT, Mozilla old).
    TLS_RSA_WITH_AES_128_GCM_SHA256(0x009C, "AES128-GCM-SHA256", KeyExchange.RSA, Authentication.RSA, AES_128_GCM),
    TLS_RSA_WITH_AES_256_GCM_SHA384(0x009D, "AES256-GCM-SHA384", KeyExchange.RSA, Authentication.RSA, AES_256_GCM),
    TLS_RSA_WITH_AES_128_CBC_SHA256(0x003C, "AES128-SHA256", KeyExchange.RSA, Authentication.RSA, AES_128_CBC),
    TLS_RSA_WITH_AES_256_CBC_SHA256(0x003D, "AES256-SHA256", KeyExchange.RSA, Authentication.RSA, AES_256_CBC),
    TLS_RSA_WITH_AES_128_CBC_SHA(0x002F, "AES128-SHA", KeyExchange.RSA, Authentication.RSA, AES_128_CBC),
    TLS_RSA_WITH_AES_256_CBC_SHA(0x0035, "AES256-SHA", KeyExchange.RSA, Authentication.RSA, AES_256_CBC),

    // 3DES (Sweet32).
    TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA(0xC008, "ECDHE-ECDSA-DES-CBC3-SHA", ECDHE, ECDSA, TRIPLE_DES_EDE_CBC),
    TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA(0xC012, "ECDHE-RSA-DES-CBC3-SHA", ECDHE, Authentication.RSA,
            TRIPLE_DES_EDE_CBC),
    TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA(0x0016, "EDH-RSA-DES-CBC3-SHA", DHE, Authentication.RSA, TRIPLE_DES_EDE_CBC),
    TLS_RSA_WITH_3DES_EDE_CBC_SHA(0x000A, "DES-CBC3-SHA", KeyExchange.RSA, Authentication.RSA, TRIPLE_DES_EDE_CBC),

    // Single DES.
    TLS_RSA_WITH_DES_CBC_SHA(0x0009, "DES-CBC-SHA", KeyExchange.RSA, Authentication.RSA, DES_CBC),
    TLS_DHE_RSA_WITH_DES_CBC_SHA(0x0015, "EDH-RSA-DES-CBC-SHA", DHE, Authentication.RSA, DES_CBC),

    // RC4 (RFC 7465 prohibits it).
    TLS_ECDHE_ECDSA_WITH_RC4_128_SHA(0xC007, "ECDHE-ECDSA-RC4-SHA", ECDHE, ECDSA, RC4_128),
    TLS_ECDHE_RSA_WITH_RC4_128_SHA(0xC011, "ECDHE-RSA-RC4-SHA", ECDHE, Authentication.RSA, RC4_128),
    TLS_RSA_WITH_RC4_128_SHA(0x0005, "RC4-SHA", KeyExchange.RSA, Authentication.RSA, RC4_128),
    TLS_RSA_WITH_RC4_128_MD5(0x0004, "RC4-MD5", KeyExchange.RSA, Authentication.RSA, RC4_128),

    // EXPORT (FREAK, Logjam).
    TLS_RSA_EXPORT_WITH_RC4_40_MD5(0x0003, "EXP-RC4-MD5", RSA_EXPORT, Authentication.RSA, RC4_40),
    TLS_RSA_EXPORT_WITH_DES40_CBC_SHA(0x0008, "EXP-DES-CBC-SHA", RSA_EXPORT, Authentication.RSA, DES40_CBC),
    TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA(0x0014, "EXP-EDH-RSA-DES-CBC-SHA", DHE_EXPORT, Authentication.RSA,
            DES40_CBC),

    // NULL encryption.
    TLS_RSA_WITH_NULL_MD5(0x0001, "NULL-MD5", KeyExchange.RSA, Authentication.RSA, BulkCipher.NULL),
    TLS_RSA_WITH_NULL_SHA(0x0002, "NULL-SHA", KeyExchange.RSA, Authentication.RSA, BulkCipher.NULL),
    TLS_RSA_WITH_NULL_SHA256(0x003B, "NULL-SHA256", KeyExchange.RSA, Authentication.RSA, BulkCipher.NULL),
    TLS_ECDHE_ECDSA_WITH_NULL_SHA(0xC006, "ECDHE-ECDSA-NULL-SHA", ECDHE, ECDSA, BulkCipher.NULL),
    TLS_ECDHE_RSA_WITH_NULL_SHA(0xC010, "ECDHE-RSA-NULL-SHA", ECDHE, Authentication.RSA, BulkCipher.NULL),

    // Anonymous (no server authentication).
    TLS_DH_anon_WITH_AES_128_CBC_SHA(0x0034, "ADH-AES128-SHA", DH_ANON, NONE, AES_128_CBC),
    TLS_DH_anon_WITH_AES_256_CBC_SHA(0x003A, "ADH-AES256-SHA", DH_ANON, NONE, AES_256_CBC),
    TLS_DH_anon_WITH_AES_128_GCM_SHA256(0x00A6, "ADH-AES128-GCM-SHA256", DH_ANON, NONE, AES_128_GCM),
    TLS_ECDH_anon_WITH_AES_128_CBC_SHA(0xC018, "AECDH-AES128-SHA", ECDH_ANON, NONE, AES_128_CBC),
    TLS_ECDH_anon_WITH_AES_256_CBC_SHA(0xC019, "AECDH-AES256-SHA", ECDH_ANON, NONE, AES_256_CBC),
    TLS_ECDH_anon_WITH_NULL_SHA(0xC015, "AECDH-NULL-SHA", ECDH_ANON, NONE, BulkCipher.NULL);

    private static final Map<Integer, CipherSuite> BY_CODE = new HashMap<>();
    private static final Map<String, CipherSuite> BY_NAME = new HashMap<>();

    static {
        for (CipherSuite s : values()) {
            if (BY_CODE.put(s.code, s) != null) {
                throw new ExceptionInInitializerError("duplicate code point " + s.codeHex());
            }
            BY_NAME.put(s.name().toUpperCase(Locale.ROOT), s);
            BY_NAME.put(s.openSslName.toUpperCase(Locale.ROOT), s);
        }
        // JSSE spells a few legacy names with SSL_ instead of TLS_.
        BY_NAME.put("SSL_RSA_WITH_3DES_EDE_CBC_SHA", TLS_RSA_WITH_3DES_EDE_CBC_SHA);
        BY_NAME.put("SSL_RSA_WITH_RC4_128_SHA", TLS_RSA_WITH_RC4_128_SHA);
        BY_NAME.put("SSL_RSA_WITH_RC4_128_MD5", TLS_RSA_WITH_RC4_128_MD5);
        BY_NAME.put("SSL_RSA_WITH_DES_CBC_SHA", TLS_RSA_WITH_DES_CBC_SHA);
        BY_NAME.put("SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA", TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA);
        BY_NAME.put("SSL_RSA_WITH_NULL_MD5", TLS_RSA_WITH_NULL_MD5);
        BY_NAME.put("SSL_RSA_WITH_NULL_SHA", TLS_RSA_WITH_NULL_SHA);
        // OpenSSL 1.1+ renamed EDH- to DHE-.
        BY_NAME.put("DHE-RSA-DES-CBC3-SHA", TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA);
    }

    private final int code;
    private final String openSslName;
    private final KeyExchange keyExchange;
    private final Authentication authentication;
    private final BulkCipher cipher;

    CipherSuite(int code, String openSslName, KeyExchange keyExchange, Authentication authentication,
                BulkCipher cipher) {
        this.code = code;
        this.openSslName = openSslName;
        this.keyExchange = keyExchange;
        this.authentication = authentication;
        this.cipher = cipher;
    }

    /** The IANA name, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}; also the JSSE name. */
    public String ianaName() {
        return name();
    }

    /** The two-byte code point, e.g. {@code 0xC02F}. */
    public int code() {
        return code;
    }

    /** The code point as OpenSSL prints it: {@code 0xC0,0x2F}. */
    public String codeHex() {
        return String.format("0x%02X,0x%02X", code >> 8, code & 0xFF);
    }

    /** The OpenSSL/BoringSSL name, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}; TLS 1.3 suites keep the IANA name. */
    public String openSslName() {
        return openSslName;
    }

    public KeyExchange keyExchange() {
        return keyExchange;
    }

    public Authentication authentication() {
        return authentication;
    }

    public BulkCipher cipher() {
        return cipher;
    }

    public boolean aead() {
        return cipher.aead();
    }

    public boolean forwardSecrecy() {
        return keyExchange.forwardSecret();
    }

    public boolean isTls13() {
        return keyExchange == TLS13;
    }

    /**
     * What a 2020s server may offer without an insecure opt-in: forward secret, AEAD, authenticated, not export.
     * This is Mozilla intermediate's rule; DHE suites pass it (they are in that profile) although BoringSSL cannot
     * negotiate them.
     */
    public boolean isRecommended() {
        return forwardSecrecy() && aead() && authentication != NONE && !keyExchange.export();
    }

    /** Clearly broken: NULL, RC4, DES/3DES, EXPORT or anonymous. */
    public boolean isInsecure() {
        return cipher == BulkCipher.NULL || cipher == RC4_40 || cipher == RC4_128 || cipher == DES_CBC
                || cipher == DES40_CBC || cipher == TRIPLE_DES_EDE_CBC || keyExchange.export()
                || authentication == NONE;
    }

    public static Optional<CipherSuite> fromCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** Accepts the IANA name, the JSSE {@code SSL_} spelling, or the OpenSSL name, case-insensitively. */
    public static Optional<CipherSuite> fromName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(name.trim().toUpperCase(Locale.ROOT)));
    }
}
