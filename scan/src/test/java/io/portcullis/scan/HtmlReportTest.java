package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.scan.ScanReport.GradeCap;
import io.portcullis.scan.ScanReport.GradeResult;
import io.portcullis.scan.ScanReport.HttpFinding;
import io.portcullis.scan.ScanReport.ProtocolFinding;
import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The HTML report: parses as XML, has the grade and the sections in order, and escapes every server string. */
class HtmlReportTest {
    private static final String EVIL = "<script>alert('x')</script>&\"\u0001";

    @TempDir
    Path dir;

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static String xpath(Document d, String expr) throws Exception {
        return (String) XPathFactory.newInstance().newXPath().evaluate(expr, d, XPathConstants.STRING);
    }

    private static ScanReport hostile() {
        CertificateFinding cert = new CertificateFinding("RSA TLS 1.2", "CN=" + EVIL, "CN=" + EVIL, List.of(EVIL),
                "RSA", 2048, "SHA256withRSA", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 30, false, false,
                false, false, false, false, false, EVIL, 1, List.of("CN=" + EVIL), false,
                false, true, List.of("incomplete: " + EVIL), 365, false, false, List.of(EVIL));
        HttpFinding http = new HttpFinding(200, EVIL, EVIL, 10L, false, false, Map.of("x-frame-options", EVIL),
                List.of("content-security-policy"), EVIL, false, null, "no_redirect (" + EVIL + ")", null);
        List<ProtocolFinding> protocols = List.of(new ProtocolFinding("TLS 1.2", true, null),
                new ProtocolFinding("TLS 1.1", false, EVIL));
        GradeResult grade = new GradeResult("M", 90, 100, 90, 80, List.of(new GradeCap("M", "does not name "
                + EVIL, "issue a certificate for " + EVIL)), "none");
        return new ScanReport("1", "evil.test:443", "evil.test", 443, "127.0.0.1", "evil.test", "now", 12, null,
                protocols, List.of(), null, List.of(cert), List.of(new VulnerabilityFinding("heartbleed", "ok",
                EVIL)), http, grade, null);
    }

    @Test
    void serverSuppliedStringsAreEscapedAndTheDocumentParses() throws Exception {
        String html = HtmlRenderer.render(List.of(hostile()));
        assertThat(html).doesNotContain("<script").doesNotContain("\u0001").contains("&lt;script&gt;");
        assertThat(html).doesNotContainPattern("(?i)<link|src=|@import|url\\(|https?://(?!www\\.w3\\.org/1999/xhtml)");
        Document d = parse(html);
        assertThat(d.getElementsByTagName("script").getLength()).isZero();
        assertThat(xpath(d, "//*[contains(@class,'grade ')]")).isEqualTo("M");
        // The escaped text round-trips: the reader sees exactly what the server sent (controls made visible).
        assertThat(xpath(d, "//*[@class='section-certificate']/following::td[.='Subject'][1]/following-sibling::td"))
                .isEqualTo("CN=" + EVIL.replace('\u0001', '\uFFFD'));
    }

    @Test
    void sectionsComeInOrderAfterTheGrade() throws Exception {
        Document d = parse(HtmlRenderer.render(List.of(hostile())));
        XPath x = XPathFactory.newInstance().newXPath();
        NodeList h3 = (NodeList) x.evaluate("//h3/@class", d, XPathConstants.NODESET);
        List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < h3.getLength(); i++) {
            order.add(h3.item(i).getNodeValue());
        }
        assertThat(order).containsExactly("section-caps", "section-protocols", "section-ciphers",
                "section-certificate", "section-vulnerabilities", "section-http");
        assertThat(xpath(d, "//*[@class='section-caps']/following::table[1]//td[3]"))
                .isEqualTo("issue a certificate for " + EVIL.replace('\u0001', '\uFFFD'));
    }

    @Test
    void failedTargetShowsTheErrorWithoutSections() throws Exception {
        ScanReport failed = ScanReport.failed(new ScanTarget("x.invalid", 443, null, null), null, "now", 0,
                "cannot resolve x.invalid<b>");
        Document d = parse(HtmlRenderer.render(List.of(failed, hostile())));
        assertThat(xpath(d, "//section[1]//*[contains(@class,'grade ')]")).isEqualTo("ERR");
        assertThat(xpath(d, "//section[1]//p[@class='error']")).contains("cannot resolve x.invalid<b>");
        assertThat(xpath(d, "count(//section[1]//h3)")).isEqualTo("0");
        assertThat(xpath(d, "count(//section)")).isEqualTo("2");
    }

    @Test
    void realServerWithScriptInItsSubjectRendersSafely() throws Exception {
        TestCerts certs = new TestCerts();
        TestCerts.Spec spec = new TestCerts.Spec("EC", "localhost", Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86400));
        spec.commonName = "<script>alert(document.cookie)</script>";
        certs.write(dir, spec);
        try (OpenSslServer s = OpenSslServer.start(dir);
             Scanner scanner = new Scanner(ScanOptions.defaults().withHttpPort(0)
                     .withReadTimeout(Duration.ofSeconds(2)).withTrustAnchors(List.of(certs.ca)))) {
            ScanReport r = scanner.scan(new ScanTarget("localhost", s.port, null, "127.0.0.1"), x -> { });
            assertThat(r.certificates().get(0).subject()).contains("<script"); // RFC 2253 form: CN=\<script\>
            String html = HtmlRenderer.render(List.of(r));
            assertThat(html).doesNotContain("<script");
            Document d = parse(html);
            assertThat(xpath(d, "//*[contains(@class,'grade ')]")).isEqualTo(r.grade().grade()).isEqualTo("A");
            String subject = "//*[@class='section-certificate']/following::td[.='Subject'][1]/following-sibling::td";
            assertThat(xpath(d, subject)).contains("<script\\>alert(document.cookie)");
            assertThat(xpath(d, "//*[@class='section-protocols']/following::table[1]//tr[td[1]='TLS 1.3']/td[2]"))
                    .isEqualTo("yes");
        }
    }
}
