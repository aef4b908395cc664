package io.portcullis.scan;

import io.portcullis.scan.ScanReport.VulnerabilityFinding;

/**
 * TLS 1.3 0-RTT: a server announces it in the early_data extension of its NewSessionTicket (RFC 8446 4.6.1),
 * which is encrypted, so a full raw handshake is needed to read it. Early data can be replayed by anyone who
 * recorded it; that is a warning (the application must accept only idempotent requests in it, RFC 8470), not a
 * protocol flaw, and SSL Labs does not grade it.
 */
final class EarlyDataCheck {
    private EarlyDataCheck() {
    }

    static VulnerabilityFinding run(Tls13Client client) {
        Tls13Client.Result r = client.handshake(Hellos.ALL_SIGNATURE_SCHEMES, true);
        if (r.error() != null) {
            return new VulnerabilityFinding("early_data", "unknown", "TLS 1.3 handshake failed: " + r.error());
        }
        if (r.maxEarlyData() == null) {
            return new VulnerabilityFinding("early_data", "ok", "no session ticket issued, so no 0-RTT");
        }
        if (r.maxEarlyData() == 0) {
            return new VulnerabilityFinding("early_data", "ok", r.tickets() + " ticket(s) without early_data: "
                    + "0-RTT off");
        }
        return new VulnerabilityFinding("early_data", "warning", "0-RTT accepted (max_early_data_size "
                + r.maxEarlyData() + "): early data can be replayed; serve only idempotent requests in it "
                + "(nginx: ssl_early_data off, or check $ssl_early_data and send 425)");
    }
}
