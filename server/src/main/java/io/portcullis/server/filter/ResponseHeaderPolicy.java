package io.portcullis.server.filter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.portcullis.config.HeadersConfig;
import io.portcullis.config.HstsConfig;
import io.portcullis.server.http.HttpDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The response headers every response of a site gets, computed once per config so that applying them is a few map
 * operations. Order: the handler's own headers (an upstream's X-Frame-Options wins over the default), then built-in
 * security headers and {@code Date} set only when absent (an upstream's Date is kept), HSTS, then the site's {@code add}
 * (replacing) and {@code remove}. The Server header is always dropped: no version is ever disclosed unless a site adds
 * one on purpose.
 */
public final class ResponseHeaderPolicy {
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    private static final AsciiString X_FRAME_OPTIONS = AsciiString.cached("x-frame-options");
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString SAMEORIGIN = AsciiString.cached("SAMEORIGIN");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("referrer-policy");
    private static final AsciiString STRICT_ORIGIN = AsciiString.cached("strict-origin-when-cross-origin");

    private final AsciiString hsts;
    private final List<AsciiString[]> add;
    private final List<AsciiString> remove;

    private ResponseHeaderPolicy(AsciiString hsts, List<AsciiString[]> add, List<AsciiString> remove) {
        this.hsts = hsts;
        this.add = add;
        this.remove = remove;
    }

    /**
     * @param hstsConfig    the site's HSTS settings
     * @param localCaSite   whether HSTS is off in AUTO mode: local-CA certificates and localhost-only sites
     * @param headersConfig the site's add/remove
     */
    public static ResponseHeaderPolicy of(HstsConfig hstsConfig, boolean localCaSite, HeadersConfig headersConfig) {
        boolean hstsOn = switch (hstsConfig.mode()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> !localCaSite;
        };
        List<AsciiString[]> add = new ArrayList<>();
        headersConfig.add().forEach((name, value) ->
                add.add(new AsciiString[]{AsciiString.of(name.toLowerCase(Locale.ROOT)), AsciiString.of(value)}));
        List<AsciiString> remove = new ArrayList<>();
        headersConfig.remove().forEach(name -> remove.add(AsciiString.of(name.toLowerCase(Locale.ROOT))));
        return new ResponseHeaderPolicy(hstsOn ? AsciiString.of(hstsConfig.headerValue()) : null, List.copyOf(add),
                List.copyOf(remove));
    }

    /** Whether HSTS is sent by this site. */
    public boolean hstsEnabled() {
        return hsts != null;
    }

    /** Applies the policy to a response's headers; {@code secure} is false on the plain-HTTP redirect listener. */
    public void apply(HttpHeaders headers, boolean secure) {
        headers.remove(HttpHeaderNames.SERVER);
        // add, not set: the field is known to be absent, so set's search for values to replace would find none
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.add(HttpHeaderNames.DATE, HttpDate.now());
        }
        if (!headers.contains(X_CONTENT_TYPE_OPTIONS)) {
            headers.add(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        }
        if (!headers.contains(X_FRAME_OPTIONS)) {
            headers.add(X_FRAME_OPTIONS, SAMEORIGIN);
        }
        if (!headers.contains(REFERRER_POLICY)) {
            headers.add(REFERRER_POLICY, STRICT_ORIGIN);
        }
        // RFC 6797 7.2: HSTS over plain HTTP must be ignored by clients, so it is never sent there.
        if (hsts != null && secure) {
            headers.set(STRICT_TRANSPORT_SECURITY, hsts);
        }
        for (int i = 0; i < add.size(); i++) {
            AsciiString[] pair = add.get(i);
            headers.set(pair[0], pair[1]);
        }
        for (int i = 0; i < remove.size(); i++) {
            headers.remove(remove.get(i));
        }
    }
}
