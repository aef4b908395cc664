package io.portcullis.server.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 response read off a raw socket.
 *
 * @param status  the status code
 * @param headers lower-case names to values, in arrival order
 * @param body    the body as text (ISO-8859-1, byte for byte)
 */
public record RawResponse(int status, Map<String, List<String>> headers, String body) {
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
