package io.portcullis.server.http3;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.portcullis.server.http.Protocol;

/**
 * The {@code Alt-Svc} advertisement of HTTP/3, present only while the UDP listener is up: a client told about h3
 * that then finds no QUIC answer wastes a connection attempt per origin, so the header follows the listener's life.
 */
public final class AltSvc {
    private static final AsciiString ALT_SVC = AsciiString.cached("alt-svc");

    private volatile AsciiString value;

    /** Starts advertising h3 on {@code port}. */
    public void listening(int port) {
        value = AsciiString.of("h3=\":" + port + "\"; ma=86400");
    }

    /** Stops advertising (listener closed or never opened). */
    public void stopped() {
        value = null;
    }

    /** The header value in force, or {@code null}. */
    public String current() {
        AsciiString v = value;
        return v == null ? null : v.toString();
    }

    /** The value an h1/h2 response of a site that allows it gets, or {@code null}: h3 responses need none. */
    public AsciiString valueFor(Protocol protocol, boolean siteAllows) {
        return siteAllows && protocol != Protocol.HTTP_3 ? value : null;
    }

    /** Adds {@code v} (from {@link #valueFor}) unless the response already has an Alt-Svc header. */
    public static void apply(HttpHeaders headers, AsciiString v) {
        if (v != null && !headers.contains(ALT_SVC)) {
            headers.set(ALT_SVC, v);
        }
    }
}
