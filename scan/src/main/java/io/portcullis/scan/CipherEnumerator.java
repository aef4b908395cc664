package io.portcullis.scan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.portcullis.tls.ProtocolVersion;

/**
 * Finds every suite a server accepts at one protocol version, the way testssl.sh does: offer a bundle, note the
 * suite the server picks, offer the bundle again without it, until the server refuses. Then two hellos with the
 * accepted list in opposite orders reveal whether the server imposes its own preference; if it does, one more
 * elimination over the accepted list yields that order.
 */
final class CipherEnumerator {
    private final Probe probe;
    private final String sni;

    CipherEnumerator(Probe probe, String sni) {
        this.probe = probe;
        this.sni = sni;
    }

    /** The accepted suites and whether the server chose by its own order. */
    record Result(List<Integer> suites, boolean serverPreference) {
    }

    Result enumerate(ProtocolVersion v) {
        List<Integer> candidates = v == ProtocolVersion.TLS_V1_3 ? SuiteCatalog.TLS13 : SuiteCatalog.legacy();
        List<Integer> accepted = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += SuiteCatalog.BUNDLE) {
            accepted.addAll(eliminate(v, candidates.subList(from, Math.min(candidates.size(),
                    from + SuiteCatalog.BUNDLE))));
        }
        if (accepted.size() < 2) {
            return new Result(accepted, false);
        }
        List<Integer> reversed = new ArrayList<>(accepted);
        Collections.reverse(reversed);
        int forward = choose(v, accepted);
        int backward = choose(v, reversed);
        if (forward >= 0 && forward == backward) {
            return new Result(eliminate(v, accepted), true);
        }
        return new Result(accepted, false);
    }

    /** The suites the server picks from {@code offer}, one per hello, in the order it picks them. */
    List<Integer> eliminate(ProtocolVersion v, List<Integer> offer) {
        List<Integer> remaining = new ArrayList<>(offer);
        List<Integer> picked = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int chosen = choose(v, remaining);
            // A server picking something we did not offer is broken; stop rather than loop forever.
            if (chosen < 0 || !remaining.remove(Integer.valueOf(chosen))) {
                break;
            }
            picked.add(chosen);
        }
        return picked;
    }

    /** The code point the server selects at exactly version {@code v}, or -1. A HelloRetryRequest counts. */
    int choose(ProtocolVersion v, List<Integer> offer) {
        HelloResult r = probe.hello(Hellos.hello(sni, v, offer), false);
        if (!r.accepted() || r.serverHello().version() != v.wireCode()) {
            return -1;
        }
        return r.serverHello().cipherSuite();
    }
}
