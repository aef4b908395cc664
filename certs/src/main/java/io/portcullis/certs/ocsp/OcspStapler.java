package io.portcullis.certs.ocsp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.portcullis.certs.storage.Storage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCSP stapling for every served certificate that names a responder: responses are fetched in the background (never
 * during a handshake), checked, kept in memory for the handshake path and in storage ({@code ocsp/<serial>.der}) so a
 * restart staples at once, and fetched again at half their validity. A handshake gets a staple only when a good,
 * unexpired response is at hand; otherwise it goes without one, which clients accept (unless the certificate is
 * must-staple, which is why the refresh starts early). A revoked status is logged as an error and reported to
 * {@code onRevoked} (the ACME scheduler renews).
 */
public final class OcspStapler {
    private static final Logger LOG = LoggerFactory.getLogger(OcspStapler.class);
    /** After a failed fetch, ask again this soon (a stapled response, if any, stays in use meanwhile). */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private final Map<BigInteger, Staple> cache = new ConcurrentHashMap<>();
    private final Supplier<Storage> storage;
    private final Consumer<X509Certificate> onRevoked;
    private final OcspFetcher fetcher = new OcspFetcher();
    private final Set<BigInteger> reportedRevoked = ConcurrentHashMap.newKeySet();

    public OcspStapler(Supplier<Storage> storage, Consumer<X509Certificate> onRevoked) {
        this.storage = storage;
        this.onRevoked = onRevoked;
    }

    /** The DER response to staple for {@code leaf}, or null. Hot path: one map read. */
    public byte[] stapleFor(X509Certificate leaf) {
        Staple s = cache.get(leaf.getSerialNumber());
        return s != null && s.usableAt(Instant.now()) ? s.der() : null;
    }

    /**
     * Fetches what is missing or due for the given chains (leaf first, issuer second); forgets certificates no longer
     * served. Blocking; call from a background thread.
     *
     * @return when the next response falls due (the caller's next refresh should come no later); {@code now} plus a
     *         day when nothing has a responder
     */
    public Instant refresh(List<List<X509Certificate>> chains) {
        Instant now = Instant.now();
        Instant nextDue = now.plus(Duration.ofDays(1));
        Set<BigInteger> served = new HashSet<>();
        for (List<X509Certificate> chain : chains) {
            if (chain.size() < 2) {
                continue; // no issuer at hand: cannot build the request (self-signed or incomplete chain)
            }
            X509Certificate leaf = chain.get(0);
            Optional<URI> responder = OcspFetcher.responderOf(leaf);
            if (responder.isEmpty()) {
                continue;
            }
            BigInteger serial = leaf.getSerialNumber();
            served.add(serial);
            Staple current = cache.computeIfAbsent(serial, k -> loadStored(leaf, chain.get(1)));
            if (current != null && now.isBefore(current.refreshAt())) {
                nextDue = earlier(nextDue, current.refreshAt());
                continue;
            }
            try {
                Staple fresh = fetcher.fetch(leaf, chain.get(1), responder.get());
                cache.put(serial, fresh);
                store(serial, fresh);
                // Half-life, but a responder handing out an old response is not asked again at once.
                Instant floor = now.plus(Duration.between(now, fresh.nextUpdate()).dividedBy(4));
                nextDue = earlier(nextDue, fresh.refreshAt().isAfter(floor) ? fresh.refreshAt() : floor);
                if (!fresh.good() && reportedRevoked.add(serial)) {
                    LOG.error("OCSP: {} says the certificate for {} (serial {}) is REVOKED (or unknown); not "
                            + "stapling it", responder.get(), leaf.getSubjectX500Principal().getName(),
                            serial.toString(16));
                    onRevoked.accept(leaf);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("OCSP: cannot refresh the staple for serial {} from {}: {}; {}", serial.toString(16),
                        responder.get(), e.getMessage(), current != null && current.usableAt(now)
                                ? "the previous response is stapled until " + current.nextUpdate() : "no staple");
                nextDue = earlier(nextDue, now.plus(RETRY_AFTER_FAILURE));
            }
        }
        cache.keySet().retainAll(served);
        return nextDue;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private Staple loadStored(X509Certificate leaf, X509Certificate issuer) {
        try {
            Optional<byte[]> der = storage.get().get(key(leaf.getSerialNumber()));
            if (der.isEmpty()) {
                return null;
            }
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
            return OcspFetcher.check(der.get(), id, issuer, leaf.getSerialNumber());
        } catch (Exception stale) {
            return null; // expired or unreadable: fetch anew
        }
    }

    private void store(BigInteger serial, Staple staple) {
        try {
            storage.get().put(key(serial), staple.der());
        } catch (IOException e) {
            LOG.warn("OCSP: cannot keep the response for serial {} in storage: {}", serial.toString(16),
                    e.getMessage());
        }
    }

    private static String key(BigInteger serial) {
        return "ocsp/" + serial.toString(16) + ".der";
    }
}
