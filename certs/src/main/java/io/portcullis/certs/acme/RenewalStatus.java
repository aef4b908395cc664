package io.portcullis.certs.acme;

import java.time.Instant;
import java.util.List;

/**
 * What the scheduler knows about one managed certificate, for {@code cert list} and the admin endpoint.
 *
 * @param names       the site's host names
 * @param renewAt     when it will be renewed (null before the first certificate)
 * @param nextAttempt the earliest next try after failures (null when none failed)
 * @param failures    consecutive failed attempts
 * @param lastError   the last failure, with the CA's problem document; null when the last attempt worked
 */
public record RenewalStatus(List<String> names, Instant renewAt, Instant nextAttempt, int failures,
                            String lastError) {
}
