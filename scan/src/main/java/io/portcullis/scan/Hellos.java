package io.portcullis.scan;

import java.util.ArrayList;
import java.util.List;

import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.ClientHelloBuilder;

/**
 * The ClientHellos the checks send, in one place so every check offers the same groups and extensions and differs
 * only in what it tests.
 */
final class Hellos {
    /** Every group a TLS 1.2 ECDHE server may pick, so group support never hides a suite. */
    static final List<NamedGroup> ALL_EC_GROUPS = List.of(NamedGroup.X25519, NamedGroup.SECP256R1,
            NamedGroup.SECP384R1, NamedGroup.SECP521R1, NamedGroup.X448);
    /** Brainpool curves (RFC 7027), not in the registry but still offered by some servers. */
    static final List<Integer> BRAINPOOL = List.of(26, 27, 28);

    /** Every scheme a browser offers, for handshakes that should take whatever certificate the server prefers. */
    static final int[] ALL_SIGNATURE_SCHEMES = ClientHelloBuilder.DEFAULT_SIGNATURE_ALGORITHMS.clone();

    private Hellos() {
    }

    static ClientHelloBuilder base(String sni, ProtocolVersion v, List<Integer> suites) {
        ClientHelloBuilder b = new ClientHelloBuilder().version(v).serverName(sni);
        if (v == ProtocolVersion.TLS_V1_3) {
            return b.cipherSuites(suites).supportedGroups(allGroups()).keyShares(List.of(NamedGroup.X25519,
                    NamedGroup.SECP256R1));
        }
        List<Integer> withScsv = new ArrayList<>(suites);
        // The SCSV besides the extension: SSLv3-era servers ignore extensions but honour the SCSV (RFC 5746).
        withScsv.add(ClientHelloBuilder.EMPTY_RENEGOTIATION_INFO_SCSV);
        return b.cipherSuites(withScsv).supportedGroups(ALL_EC_GROUPS).extraGroupCodes(BRAINPOOL);
    }

    static byte[] hello(String sni, ProtocolVersion v, List<Integer> suites) {
        return base(sni, v, suites).build();
    }

    /** All registry groups, hybrids and FFDHE included, for TLS 1.3 group enumeration. */
    static List<NamedGroup> allGroups() {
        return List.of(NamedGroup.values());
    }
}
