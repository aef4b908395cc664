package io.portcullis.config;

import java.util.Map;

/**
 * Answers with a fixed response.
 *
 * @param status      default 200
 * @param body        default empty
 * @param contentType default {@code text/plain; charset=utf-8}
 * @param headers     extra response headers
 */
public record RespondConfig(int status, String body, String contentType, Map<String, String> headers)
        implements HandlerConfig {
    public RespondConfig {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }
}
