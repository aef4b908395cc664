package io.portcullis.server.files;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses between a file and its precompressed siblings ({@code file.br}, {@code file.gz}), like nginx's
 * {@code brotli_static} + {@code gzip_static}: build tools compress at high levels once, and the server never spends
 * CPU compressing on the event loop.
 *
 * <p>Siblings are looked up whether or not this client accepts them, because {@code Vary: Accept-Encoding} must be on
 * every response of a URL whose content is negotiated, including the identity one; otherwise a shared cache could hand
 * the identity copy's slot to a brotli answer or the reverse. Siblings pass the same {@link FileResolver} policy as the
 * file (a {@code .br} link out of the root is refused like any other).
 */
public final class PrecompressedVariant {

    /** @param vary whether any sibling exists, so the response must carry {@code Vary: Accept-Encoding} */
    public record Selection(Representation representation, boolean vary) {
    }

    private PrecompressedVariant() {
    }

    /**
     * Picks the representation for {@code file}: the accepted sibling with the higher q-value (brotli on a tie, it is
     * smaller), else the file itself.
     */
    public static Selection select(FileResolver resolver, FileResolver.Resolved file, HttpHeaders requestHeaders)
            throws IOException {
        Optional<FileResolver.Resolved> br = resolver.sibling(file, ".br");
        Optional<FileResolver.Resolved> gz = resolver.sibling(file, ".gz");
        if (br.isEmpty() && gz.isEmpty()) {
            return new Selection(Representation.of(file, null), false);
        }
        List<String> values = requestHeaders.getAll(HttpHeaderNames.ACCEPT_ENCODING);
        String accept = values.isEmpty() ? null : String.join(",", values);
        double brQ = br.isPresent() ? quality(accept, "br") : 0;
        double gzQ = gz.isPresent() ? Math.max(quality(accept, "gzip"), quality(accept, "x-gzip")) : 0;
        Representation chosen;
        if (brQ > 0 && brQ >= gzQ) {
            chosen = Representation.of(br.get(), "br");
        } else if (gzQ > 0) {
            chosen = Representation.of(gz.get(), "gzip");
        } else {
            chosen = Representation.of(file, null);
        }
        return new Selection(chosen, true);
    }

    /**
     * The q-value {@code acceptEncoding} gives {@code coding}: its own entry if listed, else the {@code *} entry, else 0
     * (RFC 9110 12.5.3: a coding not listed is not acceptable once the header is present; no header means no preference,
     * which we answer with the identity representation, as nginx does). Malformed q-values count as 0: refusing a coding
     * is always safe.
     */
    static double quality(String acceptEncoding, String coding) {
        if (acceptEncoding == null) {
            return 0;
        }
        double wildcard = 0;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].strip();
                if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                    q = parseQ(param.substring(2).strip());
                }
            }
            if (name.equals(coding)) {
                return q;
            }
            if (name.equals("*")) {
                wildcard = q;
            }
        }
        return wildcard;
    }

    /** RFC 9110 qvalue: 0 to 1 with at most three decimals; anything else is 0. */
    private static double parseQ(String text) {
        if (!text.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
            return 0;
        }
        return Double.parseDouble(text);
    }
}
