package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code portcullis scan --html}: one self-contained file with the same grade as the JSON. */
class ScanHtmlTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                hsts: on
                routes:
                  - respond: "scanned"
            """);

    @TempDir
    Path dir;

    @Test
    void htmlReportCarriesTheGradeAndEverySection() throws Exception {
        Path html = dir.resolve("scan.html");
        Path json = dir.resolve("scan.json");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int exit;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
            exit = Main.execute("scan", "localhost:" + server.httpsPort(), "--ip", "127.0.0.1", "--ca-file",
                    server.caFile().toString(), "--html", html.toString(), "--json", json.toString(), "--no-http");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(exit).as(sink.toString(StandardCharsets.UTF_8)).isZero();
        String text = Files.readString(html);
        assertThat(text).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<script", "<link");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        var x = XPathFactory.newInstance().newXPath();
        String jsonGrade = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile())
                .path("reports").get(0).path("grade").path("grade").asText();
        assertThat(x.evaluate("//*[contains(@class,'grade ')]", d)).isEqualTo(jsonGrade).isIn("A", "A+");
        assertThat(x.evaluate("count(//h3)", d)).isEqualTo("6");
        assertThat(x.evaluate("//section/@data-target", d)).isEqualTo("localhost:" + server.httpsPort());
    }
}
