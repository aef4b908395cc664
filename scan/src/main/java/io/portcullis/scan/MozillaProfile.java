package io.portcullis.scan;

import java.util.List;
import java.util.Set;

import io.portcullis.tls.CipherSuite;

/**
 * Which Mozilla server-side TLS profile (https://wiki.mozilla.org/Security/Server_Side_TLS, version 5.7) the
 * server's configuration satisfies: modern (TLS 1.3 only), intermediate (TLS 1.2+1.3, forward-secret AEAD only,
 * 2048-bit RSA or P-256+ keys), old (anything without SSL or broken suites), or none.
 */
final class MozillaProfile {
    private MozillaProfile() {
    }

    static String verdict(ScanReport r, Set<String> protocols, List<CipherSuite> suites) {
        if (protocols.isEmpty()) {
            return "none";
        }
        boolean keysOk = r.certificates().stream().allMatch(c -> c.keyType().equals("ECDSA")
                ? c.keyBits() >= 256 : c.keyBits() >= 2048);
        if (protocols.equals(Set.of("TLS 1.3")) && keysOk) {
            return "modern";
        }
        boolean modernProtocols = protocols.stream().allMatch(p -> p.equals("TLS 1.2") || p.equals("TLS 1.3"));
        if (modernProtocols && keysOk && r.ciphers().stream()
                .allMatch(c -> c.suites().stream().allMatch(f -> f.strength().equals("strong")))) {
            return "intermediate";
        }
        boolean noSsl = !protocols.contains("SSL 2.0") && !protocols.contains("SSL 3.0");
        boolean noBroken = suites.stream().noneMatch(s -> s.isInsecure()
                && s != CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA); // old still lists DES-CBC3-SHA
        return noSsl && noBroken ? "old" : "none";
    }
}
