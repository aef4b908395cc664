package io.portcullis.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON form of scan results: snake_case names, nulls kept (a missing finding is explicit), pretty printed. */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** {@code {"schema_version": "1", "reports": [...]}}: one document for a whole run. */
    public static String write(List<ScanReport> reports) {
        try {
            return MAPPER.writeValueAsString(new Document(ScanReport.SCHEMA_VERSION, reports));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    record Document(String schemaVersion, List<ScanReport> reports) {
    }
}
