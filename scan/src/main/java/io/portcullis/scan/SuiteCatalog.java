package io.portcullis.scan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.portcullis.scan.ScanReport.CipherFinding;
import io.portcullis.tls.BulkCipher;
import io.portcullis.tls.CipherSuite;
import io.portcullis.tls.KeyExchange;

/**
 * What the scanner offers during enumeration and how it describes what comes back. The registry in {@code tls}
 * names the suites that matter; to catch the rest (CAMELLIA, ARIA, SEED, PSK, GOST...) the offer also sweeps every
 * code point of the IANA TLS 1.0-1.2 blocks {@code 0x0000-0x00FF}, {@code 0xC000-0xC0FF}, {@code 0xCC00-0xCCFF},
 * so a suite missing from the registry is still found and reported by its code point.
 */
final class SuiteCatalog {
    /** The five TLS 1.3 suites (RFC 8446 and RFC 9150 excluded: integrity-only suites are not for the web). */
    static final List<Integer> TLS13 = List.of(0x1301, 0x1302, 0x1303, 0x1304, 0x1305);
    /** testssl.sh sends at most 128 suites per hello by default: some servers choke on larger ones. */
    static final int BUNDLE = 128;

    private static final List<Integer> LEGACY = buildLegacy();

    private SuiteCatalog() {
    }

    /** Every TLS 1.0-1.2 code point to try, registry suites first, SCSVs excluded. */
    static List<Integer> legacy() {
        return LEGACY;
    }

    private static List<Integer> buildLegacy() {
        Set<Integer> codes = new LinkedHashSet<>();
        for (CipherSuite s : CipherSuite.values()) {
            if (!s.isTls13()) {
                codes.add(s.code());
            }
        }
        for (int c = 0x0001; c <= 0x00FE; c++) {
            codes.add(c);
        }
        for (int c = 0xC001; c <= 0xC0FF; c++) {
            codes.add(c);
        }
        for (int c = 0xCCA8; c <= 0xCCAE; c++) {
            codes.add(c);
        }
        return List.copyOf(new ArrayList<>(codes));
    }

    static String hex(int code) {
        return String.format("0x%02X,0x%02X", code >> 8, code & 0xFF);
    }

    /** A finding for an accepted code point; unknown codes keep their number and an "unknown" strength. */
    static CipherFinding describe(int code) {
        return CipherSuite.fromCode(code).map(SuiteCatalog::describe)
                .orElseGet(() -> new CipherFinding(hex(code), "UNKNOWN_" + String.format("%04X", code), null,
                        "unknown", 0, false, false, "unknown"));
    }

    static CipherFinding describe(CipherSuite s) {
        return new CipherFinding(s.codeHex(), s.ianaName(), s.openSslName(), s.keyExchange().name(),
                s.cipher().keyBits(), s.forwardSecrecy(), s.aead(), strength(s));
    }

    /** strong: Mozilla intermediate; acceptable: FS or AEAD but not both; weak: neither; insecure: broken. */
    static String strength(CipherSuite s) {
        if (s.isInsecure()) {
            return "insecure";
        }
        if (s.isRecommended()) {
            return "strong";
        }
        return s.forwardSecrecy() || s.aead() ? "acceptable" : "weak";
    }

    static boolean isCbc(CipherSuite s) {
        BulkCipher c = s.cipher();
        return c == BulkCipher.AES_128_CBC || c == BulkCipher.AES_256_CBC || c == BulkCipher.TRIPLE_DES_EDE_CBC
                || c == BulkCipher.DES_CBC || c == BulkCipher.DES40_CBC;
    }

    static boolean isExportRsa(CipherSuite s) {
        return s.keyExchange() == KeyExchange.RSA_EXPORT;
    }
}
