package io.portcullis.config;

import java.util.List;
import java.util.Map;

/**
 * Response headers changed for every response of a site. Applied after the built-in security headers, so a site can
 * replace ({@code add} with the same name) or drop ({@code remove}) any of them.
 *
 * @param add    name to value, in config order; replaces a header of the same name
 * @param remove names to remove (case-insensitive)
 */
public record HeadersConfig(Map<String, String> add, List<String> remove) {
    public HeadersConfig {
        add = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(add));
        remove = List.copyOf(remove);
    }

    public static HeadersConfig none() {
        return new HeadersConfig(Map.of(), List.of());
    }
}
