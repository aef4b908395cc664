package io.portcullis.certs.acme;

import java.util.Locale;

/** How one attempt to get a certificate from the CA ended, for the {@code portcullis_acme_orders_total} counter. */
public enum OrderOutcome {
    /** A first certificate for the names. */
    ISSUED,
    /** A certificate that replaces one in storage (due, forced, or after an OCSP revocation). */
    RENEWED,
    /** No certificate this time: the CA's error, a failed challenge, a rate limit, storage. Retried with backoff. */
    FAILED;

    /** The label value: {@code issued}, {@code renewed}, {@code failed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
