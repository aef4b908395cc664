package io.portcullis.server.http3;

import static io.portcullis.server.testing.RawH3Connection.DATA;
import static io.portcullis.server.testing.RawH3Connection.HEADERS;
import static io.portcullis.server.testing.RawH3Connection.SETTINGS;
import static io.portcullis.server.testing.RawH3Connection.frame;
import static io.portcullis.server.testing.RawH3Connection.varint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawH3Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invalid HTTP/3 over real QUIC connections, written byte by byte: frames in the wrong order or on the wrong stream,
 * HTTP/2 frame types, a broken QPACK field section. Each must close that connection with the error code RFC 9114 /
 * RFC 9204 name, be in the audit log and the security-event counter, and leave the server serving others.
 */
class Http3HostileFramesTest {
    private static final int H3_FRAME_UNEXPECTED = 0x0105;
    private static final int H3_MISSING_SETTINGS = 0x010a;
    private static final int QPACK_DECOMPRESSION_FAILED = 0x0200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                routes:
                  - respond: "still serving"
            """);

    /** A well-behaved client connected before any hostile one, for the whole class. */
    private static H3Client bystander;

    @BeforeAll
    static void connectBystander() throws Exception {
        bystander = H3Client.connect(server.caFile(), "localhost", server.server().http3Port());
        assertThat(bystander.get("/").status()).isEqualTo(200);
    }

    @AfterAll
    static void closeBystander() {
        bystander.close();
    }

    private static RawH3Connection raw() throws Exception {
        return RawH3Connection.connect(server.caFile(), "localhost", server.server().http3Port());
    }

    /** How many protocol errors were counted and audited before a case. */
    private record Seen(double counted, int audited) {
    }

    private static Seen seen() throws Exception {
        return new Seen(MetricsScrape.value(MetricsScrape.scrape(server), "portcullis_security_events_total",
                "event=\"http3_protocol_error\""), auditEvents().size());
    }

    /**
     * The connection was closed by the server with {@code code}; the event is audited and counted; a connection that
     * was open all along and a new one are both still served.
     */
    private static void assertRefused(RawH3Connection c, int code, String codeName, Seen before) throws Exception {
        QuicConnectionCloseEvent close = c.awaitClose();
        assertThat(close.isApplicationClose()).as("an HTTP/3 (application) error, not a transport one").isTrue();
        assertThat(close.error()).as("error code, got 0x%x", close.error()).isEqualTo(code);
        JsonNode event = awaitAuditEvent(before.audited());
        assertThat(event.path("code").asText()).isEqualTo(codeName);
        assertThat(event.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(event.path("reason").asText()).isNotBlank();
        assertThat(MetricsScrape.value(MetricsScrape.scrape(server), "portcullis_security_events_total",
                "event=\"http3_protocol_error\"")).isEqualTo(before.counted() + 1);
        assertThat(bystander.get("/").bodyText()).isEqualTo("still serving");
        try (H3Client other = H3Client.connect(server.caFile(), "localhost", server.server().http3Port())) {
            assertThat(other.get("/").bodyText()).isEqualTo("still serving");
        }
    }

    @Test
    void dataFrameBeforeHeadersIsFrameUnexpected() throws Exception {
        Seen before = seen();
        try (RawH3Connection c = raw()) {
            c.controlStream();
            c.requestStream(frame(DATA, "body first".getBytes(StandardCharsets.US_ASCII)));
            assertRefused(c, H3_FRAME_UNEXPECTED, "H3_FRAME_UNEXPECTED", before);
        }
    }

    @Test
    void secondSettingsOnTheControlStreamIsFrameUnexpected() throws Exception {
        Seen before = seen();
        try (RawH3Connection c = raw()) {
            c.controlStream(frame(SETTINGS, new byte[0]));
            assertRefused(c, H3_FRAME_UNEXPECTED, "H3_FRAME_UNEXPECTED", before);
        }
    }

    @Test
    void controlStreamNotStartingWithSettingsIsMissingSettings() throws Exception {
        Seen before = seen();
        try (RawH3Connection c = raw()) {
            // GOAWAY (0x07) as the first frame of the control stream.
            byte[] type = varint(RawH3Connection.CONTROL_STREAM);
            byte[] goAway = frame(0x07, varint(0));
            byte[] stream = new byte[type.length + goAway.length];
            System.arraycopy(type, 0, stream, 0, type.length);
            System.arraycopy(goAway, 0, stream, type.length, goAway.length);
            c.uniStream(stream);
            assertRefused(c, H3_MISSING_SETTINGS, "H3_MISSING_SETTINGS", before);
        }
    }

    /** PRIORITY, PING, WINDOW_UPDATE, CONTINUATION: HTTP/2 frame types reserved in HTTP/3 (RFC 9114 7.2.8). */
    @ParameterizedTest
    @ValueSource(ints = {0x02, 0x06, 0x08, 0x09})
    void http2FrameTypesOnTheControlStreamAreFrameUnexpected(int type) throws Exception {
        Seen before = seen();
        try (RawH3Connection c = raw()) {
            c.controlStream(frame(type, new byte[8]));
            assertRefused(c, H3_FRAME_UNEXPECTED, "H3_FRAME_UNEXPECTED", before);
        }
    }

    @Test
    void malformedQpackFieldSectionIsDecompressionFailed() throws Exception {
        Seen before = seen();
        try (RawH3Connection c = raw()) {
            c.controlStream();
            // Field section prefix: Required Insert Count 0, Base 0; then an indexed field line naming static table
            // entry 200 (0xff = static, index 63 + varint 137), beyond the 99 entries RFC 9204 defines.
            byte[] block = {0x00, 0x00, (byte) 0xff, (byte) 0x89, 0x01};
            c.requestStream(frame(HEADERS, block));
            assertRefused(c, QPACK_DECOMPRESSION_FAILED, "QPACK_DECOMPRESSION_FAILED", before);
        }
    }

    /** The audit log's http3_protocol_error events so far. */
    private static List<JsonNode> auditEvents() throws Exception {
        Path log = server.dir().resolve("data").resolve("audit.log");
        List<JsonNode> events = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                JsonNode n = JSON.readTree(line);
                if ("http3_protocol_error".equals(n.path("event").asText())) {
                    events.add(n);
                }
            }
        }
        return events;
    }

    /** The first event after the first {@code before}, waiting up to 3 s (the log is written asynchronously). */
    private static JsonNode awaitAuditEvent(int before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<JsonNode> events = auditEvents();
        while (events.size() <= before && System.nanoTime() < deadline) {
            Thread.sleep(20);
            events = auditEvents();
        }
        assertThat(events).as("http3_protocol_error events in the audit log").hasSize(before + 1);
        return events.get(before);
    }
}
