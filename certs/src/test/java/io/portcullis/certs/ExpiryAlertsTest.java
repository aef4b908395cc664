package io.portcullis.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import io.portcullis.config.SiteTlsConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ExpiryAlertsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void warnsOncePerThresholdForFilesAndFailingAcmeOnly() throws Exception {
        X509Certificate file = cert(1, NOW.plus(Duration.ofDays(20)));
        X509Certificate acme = cert(2, NOW.plus(Duration.ofDays(5)));
        X509Certificate local = cert(3, NOW.plus(Duration.ofDays(2)));
        List<ServedCertificate> served = List.of(
                new ServedCertificate(List.of("files.example.com"), SiteTlsConfig.Source.FILES, file),
                new ServedCertificate(List.of("acme.example.com"), SiteTlsConfig.Source.ACME, acme),
                new ServedCertificate(List.of("localhost"), SiteTlsConfig.Source.INTERNAL, local));
        ExpiryAlerts alerts = new ExpiryAlerts();

        // ACME renewal not failing: only the file certificate is reported, at the 30-day level (20 days left).
        assertThat(alerts.check(served, Set.of(), NOW)).singleElement().asString()
                .contains("files.example.com").contains("expires in 20 days").contains("replace the certificate files");
        assertThat(alerts.check(served, Set.of(), NOW.plus(Duration.ofHours(1)))).isEmpty();

        // ACME renewal failing: reported at the 7-day level; the file cert crosses 14 days.
        List<String> later = alerts.check(served, Set.of(List.of("acme.example.com")), NOW.plus(Duration.ofDays(6)));
        assertThat(later).hasSize(2);
        assertThat(later.get(0)).contains("files.example.com").contains("expires in 14 days");
        assertThat(later.get(1)).contains("acme.example.com").contains("EXPIRED");

        // 7 days, then expiry: one more line each.
        assertThat(alerts.check(served, Set.of(), NOW.plus(Duration.ofDays(13)))).singleElement().asString()
                .contains("expires in 7 days");
        assertThat(alerts.check(served, Set.of(), NOW.plus(Duration.ofDays(21)))).singleElement().asString()
                .contains("EXPIRED");
        assertThat(alerts.check(served, Set.of(), NOW.plus(Duration.ofDays(22)))).isEmpty();
    }

    @Test
    void configuredThresholdsAndTheSinkGetTheAcmeError() throws Exception {
        X509Certificate acme = cert(4, NOW.plus(Duration.ofDays(10)));
        List<ServedCertificate> served = List.of(
                new ServedCertificate(List.of("acme.example.com"), SiteTlsConfig.Source.ACME, acme));
        List<io.portcullis.certs.alerts.ExpiryAlert> sent = new java.util.ArrayList<>();
        ExpiryAlerts alerts = new ExpiryAlerts(sent::add);
        java.util.Map<List<String>, String> failing = java.util.Map.of(List.of("acme.example.com"),
                "urn:ietf:params:acme:error:rateLimited");

        assertThat(alerts.check(served, failing, NOW, List.of(21, 3))).hasSize(1);
        assertThat(alerts.check(served, failing, NOW.plus(Duration.ofDays(1)), List.of(21, 3))).isEmpty();
        assertThat(alerts.check(served, failing, NOW.plus(Duration.ofDays(7)), List.of(21, 3))).hasSize(1);
        assertThat(sent).extracting(io.portcullis.certs.alerts.ExpiryAlert::threshold).containsExactly(21, 3);
        assertThat(sent.get(1).daysLeft()).isEqualTo(3);
        assertThat(sent.get(1).reason()).isEqualTo("ACME renewal keeps failing: urn:ietf:params:acme:error:rateLimited");
        assertThat(sent.get(1).source()).isEqualTo(SiteTlsConfig.Source.ACME);
    }

    private static X509Certificate cert(int serial, Instant notAfter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        var keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=test");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(serial), Date.from(NOW.minus(Duration.ofDays(60))), Date.from(notAfter), name,
                keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
