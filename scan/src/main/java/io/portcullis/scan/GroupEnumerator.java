package io.portcullis.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.HandshakeMessage;
import io.portcullis.tls.wire.ServerKeyExchangeParser;

/**
 * Finds the key-exchange groups a server accepts, by elimination like the suites. TLS 1.3: the hello carries no key
 * share at all, so the server must answer with a HelloRetryRequest that names its pick; that works for groups the
 * JDK cannot compute (X25519MLKEM768, FFDHE) because we never have to send a share. TLS 1.2: the pick is in the
 * ServerKeyExchange of an ECDHE suite.
 */
final class GroupEnumerator {
    private final Probe probe;
    private final String sni;

    GroupEnumerator(Probe probe, String sni) {
        this.probe = probe;
        this.sni = sni;
    }

    List<String> tls13() {
        List<NamedGroup> remaining = new ArrayList<>(Hellos.allGroups());
        List<String> found = new ArrayList<>();
        while (!remaining.isEmpty()) {
            byte[] hello = Hellos.base(sni, ProtocolVersion.TLS_V1_3, SuiteCatalog.TLS13)
                    .supportedGroups(remaining).keyShares(List.of()).build();
            HelloResult r = probe.hello(hello, false);
            if (!r.accepted()) {
                break;
            }
            OptionalInt g = r.serverHello().selectedGroup();
            if (g.isEmpty() || !remaining.removeIf(n -> n.code() == g.getAsInt())) {
                break;
            }
            found.add(name(g.getAsInt()));
        }
        return found;
    }

    /** Groups for the given TLS 1.2-or-older ECDHE suites; empty if there are none. */
    List<String> legacy(ProtocolVersion v, List<Integer> ecdheSuites) {
        List<String> found = new ArrayList<>();
        if (ecdheSuites.isEmpty()) {
            return found;
        }
        List<NamedGroup> remaining = new ArrayList<>(Hellos.ALL_EC_GROUPS);
        List<Integer> brainpool = new ArrayList<>(Hellos.BRAINPOOL);
        while (!remaining.isEmpty() || !brainpool.isEmpty()) {
            byte[] hello = Hellos.base(sni, v, ecdheSuites).supportedGroups(remaining).extraGroupCodes(brainpool)
                    .build();
            HelloResult r = probe.hello(hello, true);
            HandshakeMessage ske = r.accepted() ? r.message(HandshakeMessage.SERVER_KEY_EXCHANGE) : null;
            if (ske == null) {
                break;
            }
            OptionalInt g = ServerKeyExchangeParser.ecdheGroup(ske);
            if (g.isEmpty()) {
                break;
            }
            int code = g.getAsInt();
            if (!remaining.removeIf(n -> n.code() == code) && !brainpool.remove(Integer.valueOf(code))) {
                break;
            }
            found.add(name(code));
        }
        return found;
    }

    static String name(int code) {
        return switch (code) {
            case 26 -> "brainpoolP256r1";
            case 27 -> "brainpoolP384r1";
            case 28 -> "brainpoolP512r1";
            default -> NamedGroup.fromCode(code).map(NamedGroup::configName)
                    .orElse(String.format("0x%04X", code));
        };
    }
}
