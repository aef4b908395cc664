package io.portcullis.certs.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.portcullis.config.AcmeConfig;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.PemException;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation with the ACME CA: the account (its key made once and kept in storage, registered or found again
 * with it, with external account binding when configured), orders with HTTP-01 or TLS-ALPN-01 validation, renewal
 * information (ARI, RFC 9773) and revocation. Blocking; the scheduler calls it from its own thread.
 */
public final class AcmeClient {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeClient.class);
    /** How long one validation or finalization may take before the attempt counts as failed. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** The challenge types, in the order they are tried. */
    public enum ChallengeType { HTTP_01, TLS_ALPN_01 }

    private final AcmeConfig config;
    private final AcmeCertificates store;
    private final AcmeChallenges challenges;
    private Login login;

    public AcmeClient(AcmeConfig config, AcmeCertificates store, AcmeChallenges challenges) {
        this.config = config;
        this.store = store;
        this.challenges = challenges;
    }

    /** The challenge types this config allows, {@code preferred} first when allowed. */
    List<ChallengeType> allowedChallenges(ChallengeType preferred) {
        List<ChallengeType> out = new ArrayList<>();
        if (config.http01()) {
            out.add(ChallengeType.HTTP_01);
        }
        if (config.tlsAlpn01()) {
            out.add(ChallengeType.TLS_ALPN_01);
        }
        if (preferred != null && out.remove(preferred)) {
            out.add(0, preferred);
        }
        return out;
    }

    /** Logs in, creating the account key and registering on first use. */
    synchronized Login login() throws AcmeFailure {
        if (login != null) {
            return login;
        }
        try {
            Session session = AcmeSessions.open(config);
            KeyPair accountKey = accountKey();
            AccountBuilder b = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
            if (config.email() != null) {
                b.addEmail(config.email());
            }
            if (config.eabKeyId() != null) {
                b.withKeyIdentifier(config.eabKeyId(), config.eabHmacKey());
            }
            login = b.createLogin(session);
            LOG.info("ACME account {} at {}", login.getAccountLocation(), config.directory());
            return login;
        } catch (AcmeException | IOException | RuntimeException e) {
            throw AcmeFailure.of("ACME account at " + config.directory(), e);
        }
    }

    private KeyPair accountKey() throws IOException {
        String key = store.accountKey();
        Optional<byte[]> stored = store.storage().get(key);
        if (stored.isPresent()) {
            try {
                return AcmeKeys.fromPem(new String(stored.get(), StandardCharsets.US_ASCII), key);
            } catch (PemException e) {
                throw new IOException("the stored ACME account key is unusable (" + e.getMessage() + "); move it away "
                        + "to register a new account", e);
            }
        }
        KeyPair created = AcmeKeys.generate(AcmeConfig.KeyType.ECDSA_P256);
        store.storage().put(key, AcmeKeys.toPem(created).getBytes(StandardCharsets.US_ASCII));
        LOG.info("created an ACME account key in storage ({})", key);
        return created;
    }

    /**
     * Orders a certificate for {@code names}, validating every pending authorization with {@code challenge}.
     *
     * @param replaces the certificate this one replaces (tells an ARI-capable CA, RFC 9773 5), or null
     */
    CertifiedKey issue(List<String> names, ChallengeType challenge, X509Certificate replaces) throws AcmeFailure {
        String what = "certificate for " + names + " via " + challenge.name().toLowerCase().replace('_', '-');
        Login l = login();
        try {
            var builder = l.newOrder().domains(names);
            if (replaces != null && isAriOffered(l)) {
                builder.replaces(replaces);
            }
            Order order = builder.create();
            for (Authorization auth : order.getAuthorizations()) {
                if (auth.getStatus() != Status.VALID) {
                    validate(auth, challenge, what);
                }
            }
            KeyPair domainKey = AcmeKeys.generate(config.keyType());
            if (config.mustStaple()) {
                order.execute(CsrFactory.create(names, domainKey, true));
            } else {
                order.execute(domainKey);
            }
            Status status = order.waitForCompletion(WAIT);
            if (status != Status.VALID) {
                throw order.getError().map(p -> AcmeFailure.problem(what + ": order " + status, p))
                        .orElse(new AcmeFailure(what + ": order ended " + status, null, null));
            }
            Certificate cert = order.getCertificate();
            return new CertifiedKey(domainKey.getPrivate(), cert.getCertificateChain());
        } catch (AcmeException | IOException | RuntimeException e) {
            throw AcmeFailure.of(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeFailure(what + ": interrupted", null, e);
        }
    }

    private void validate(Authorization auth, ChallengeType type, String what)
            throws AcmeException, AcmeFailure, InterruptedException {
        String host = auth.getIdentifier().getDomain();
        Challenge ch;
        Runnable cleanup;
        if (type == ChallengeType.HTTP_01) {
            Http01Challenge http = auth.<Http01Challenge>findChallenge(Http01Challenge.TYPE)
                    .orElseThrow(() -> new AcmeFailure(what + ": the CA offers no http-01 for " + host, null, null));
            challenges.putHttp01(http.getToken(), http.getAuthorization());
            cleanup = () -> challenges.removeHttp01(http.getToken());
            ch = http;
        } else {
            TlsAlpn01Challenge alpn = auth.<TlsAlpn01Challenge>findChallenge(TlsAlpn01Challenge.TYPE)
                    .orElseThrow(() -> new AcmeFailure(what + ": the CA offers no tls-alpn-01 for " + host, null,
                            null));
            KeyPair keys = AcmeKeys.generate(AcmeConfig.KeyType.ECDSA_P256);
            try {
                challenges.putTlsAlpn01(host, keys, TlsAlpnCertificate.create(keys, host, alpn.getAcmeValidation()));
            } catch (IOException e) {
                throw new AcmeFailure(what + ": cannot build the tls-alpn-01 certificate: " + e, null, e);
            }
            cleanup = () -> challenges.removeTlsAlpn01(host);
            ch = alpn;
        }
        try {
            ch.trigger();
            Status status = ch.waitForCompletion(WAIT);
            if (status != Status.VALID) {
                throw ch.getError().map(p -> AcmeFailure.problem(what + ": validation of " + host + " " + status, p))
                        .orElse(new AcmeFailure(what + ": validation of " + host + " ended " + status, null, null));
            }
        } finally {
            cleanup.run();
        }
    }

    /**
     * The CA's suggested renewal window for {@code cert} (ARI), or empty when the CA does not offer ARI.
     */
    Optional<RenewalWindow> renewalWindow(X509Certificate cert) throws AcmeFailure {
        Login l = login();
        try {
            if (!isAriOffered(l)) {
                return Optional.empty();
            }
            RenewalInfo info = l.bindRenewalInfo(cert);
            Optional<Instant> retry = info.fetch();
            return Optional.of(new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                    retry.orElse(null)));
        } catch (AcmeNotSupportedException e) {
            return Optional.empty();
        } catch (AcmeException | RuntimeException e) {
            throw AcmeFailure.of("renewal info for " + cert.getSubjectX500Principal(), e);
        }
    }

    private static boolean isAriOffered(Login l) throws AcmeException {
        return l.getSession().resourceUrlOptional(org.shredzone.acme4j.connector.Resource.RENEWAL_INFO).isPresent();
    }

    /** Revokes {@code cert} with the account that ordered it. */
    void revoke(X509Certificate cert) throws AcmeFailure {
        try {
            Certificate.revoke(login(), cert, RevocationReason.UNSPECIFIED);
        } catch (AcmeException | RuntimeException e) {
            throw AcmeFailure.of("revoking " + cert.getSubjectX500Principal(), e);
        }
    }

    /** ARI's suggestion: renew between {@code start} and {@code end}; ask again after {@code retryAfter}. */
    record RenewalWindow(Instant start, Instant end, Instant retryAfter) {
    }
}
