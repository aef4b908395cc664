package io.portcullis.server.log;

import java.util.Map;

/**
 * One security event.
 *
 * @param timeMillis when it happened
 * @param event      what: {@code handshake_failed}, {@code access_denied}, {@code malformed_request},
 *                   {@code proxy_protocol_refused}, {@code config_reloaded}, {@code config_reload_refused}
 * @param address    the client's address (after trusted proxies), or {@code null} for process events
 * @param fields     the rest, in order: {@code reason}, {@code rule}, {@code host}, {@code request_id}, ...
 */
public record AuditEvent(long timeMillis, String event, String address, Map<String, String> fields) {
    public AuditEvent {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
