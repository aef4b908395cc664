package io.portcullis.certs.ocsp;

import java.time.Duration;
import java.time.Instant;

/**
 * One OCSP response for one certificate, as fetched and checked.
 *
 * @param der        the response exactly as the responder sent it (what the handshake staples)
 * @param good       the responder says good (false: revoked or unknown; such a response is never stapled)
 * @param thisUpdate when the responder produced the status
 * @param nextUpdate when it stops being valid
 */
public record Staple(byte[] der, boolean good, Instant thisUpdate, Instant nextUpdate) {
    /** Responders without nextUpdate get this validity, so the response is refreshed regularly anyway. */
    static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

    /** Fetch again once half the validity has passed (RFC 6960 gives no rule; Caddy and nginx do the same). */
    public Instant refreshAt() {
        return thisUpdate.plus(Duration.between(thisUpdate, nextUpdate).dividedBy(2));
    }

    public boolean usableAt(Instant now) {
        return good && now.isBefore(nextUpdate);
    }
}
