package io.portcullis.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonAccessLogFormatTest {
    @Test
    void writesOneValidJsonObjectWithEscapedHostileValues() throws Exception {
        AccessLogEntry e = new AccessLogEntry(0L, "00ff", "127.0.0.1", "example.com", "GET",
                "/a?b=\"c\"\n{\"forged\":1}", 200, 13, 1_234, "HTTP/2.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                "ua\u0001", null, Map.of("upstream", "127.0.0.1:8080"));
        StringBuilder sb = new StringBuilder();
        new JsonAccessLogFormat().format(e, sb);
        assertThat(sb.toString()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(sb.toString());
        assertThat(json.get("time").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(json.get("uri").asText()).isEqualTo("/a?b=\"c\"\n{\"forged\":1}");
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("duration_ms").asDouble()).isEqualTo(1.234);
        assertThat(json.get("tls_version").asText()).isEqualTo("TLSv1.3");
        assertThat(json.get("user_agent").asText()).isEqualTo("ua\u0001");
        assertThat(json.has("referer")).isFalse();
        assertThat(json.get("upstream").asText()).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void combinedFormatEscapesQuotes() {
        AccessLogEntry e = new AccessLogEntry(0L, "1", "10.0.0.1", "h", "GET", "/x\"y", 404, 0, 0, "HTTP/1.1", null,
                null, null, "r", Map.of());
        StringBuilder sb = new StringBuilder();
        new CombinedLogFormat().format(e, sb);
        assertThat(sb.toString()).isEqualTo(
                "10.0.0.1 - - [01/Jan/1970:00:00:00 +0000] \"GET /x\\\"y HTTP/1.1\" 404 0 \"r\" \"-\"");
    }
}
