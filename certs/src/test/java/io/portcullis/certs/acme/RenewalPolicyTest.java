package io.portcullis.certs.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import io.portcullis.config.AcmeConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void withoutAriRenewsAtTwoThirdsOfTheLifetime() throws Exception {
        X509Certificate cert = cert(NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(90)), 1);
        assertThat(RenewalPolicy.renewAt(cert, 2.0 / 3.0, null)).isEqualTo(NOT_BEFORE.plus(Duration.ofDays(60)));
        assertThat(RenewalPolicy.renewAt(cert, 0.5, null)).isEqualTo(NOT_BEFORE.plus(Duration.ofDays(45)));
    }

    @Test
    void withAriRenewsAtAFixedPointInsideTheWindow() throws Exception {
        Instant start = NOT_BEFORE.plus(Duration.ofDays(10));
        Instant end = start.plus(Duration.ofDays(2));
        AcmeClient.RenewalWindow window = new AcmeClient.RenewalWindow(start, end, null);
        for (int serial = 1; serial < 50; serial++) {
            X509Certificate cert = cert(NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(90)), serial);
            Instant at = RenewalPolicy.renewAt(cert, 2.0 / 3.0, window);
            assertThat(at).isBetween(start, end);
            assertThat(RenewalPolicy.renewAt(cert, 2.0 / 3.0, window)).isEqualTo(at); // stable across checks
        }
    }

    @Test
    void backoffDoublesFromOneMinuteToADayWithAtMostAQuarterOfJitter() {
        long[] baseMinutes = {1, 2, 4, 8, 16};
        for (int failures = 1; failures <= baseMinutes.length; failures++) {
            Duration d = RenewalPolicy.backoff(Duration.ofMinutes(1), failures);
            Duration base = Duration.ofMinutes(baseMinutes[failures - 1]);
            assertThat(d).isBetween(base, base.plus(base.dividedBy(4)));
        }
        assertThat(RenewalPolicy.backoff(Duration.ofMinutes(1), 30)).isBetween(Duration.ofDays(1), Duration.ofHours(30));
    }

    @Test
    void aShorterRetryBaseStartsTheSameDoublingLower() {
        Duration first = Duration.ofSeconds(2);
        assertThat(RenewalPolicy.backoff(first, 1)).isBetween(first, Duration.ofMillis(2_500));
        assertThat(RenewalPolicy.backoff(first, 3)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(RenewalPolicy.backoff(first, 40)).isBetween(Duration.ofDays(1), Duration.ofHours(30));
    }

    @Test
    void retryAfterFromTheCaWinsWhenItIsLater() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        Instant retryAfter = now.plus(3, ChronoUnit.HOURS);
        assertThat(RenewalPolicy.nextAttempt(now, Duration.ofMinutes(1), 1, retryAfter)).isEqualTo(retryAfter);
        assertThat(RenewalPolicy.nextAttempt(now, Duration.ofMinutes(1), 1, now.plusSeconds(5))).isAfter(now.plusSeconds(59));
    }

    private static X509Certificate cert(Instant notBefore, Instant notAfter, int serial) throws Exception {
        KeyPair keys = AcmeKeys.generate(AcmeConfig.KeyType.ECDSA_P256);
        X500Name name = new X500Name("CN=test");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(serial), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
