package io.portcullis.scan;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.ExtensionType;

/**
 * Session behaviour, which needs completed handshakes and so JSSE: resumption (IDs and tickets) and
 * client-initiated renegotiation. Raw hellos add what JSSE hides: whether the server accepts a bare session ID
 * (no ticket offered) and whether it announces tickets at all. Neither check affects the grade; SSL Labs reports
 * both without scoring them.
 */
final class SessionChecks {
    /** Bound on reading the answer to our request (a non-HTTP server may never answer). */
    private static final int DRAIN_MILLIS = 1500;

    private final Probe probe;
    private final String sni;
    private final boolean tls13;
    private final ProtocolVersion legacy;
    private final List<Integer> legacySuites;

    /**
     * @param tls13        whether TLS 1.3 is offered (resumption by PSK is then tested there)
     * @param legacy       the highest TLS 1.2-or-older version offered, or null; IDs, tickets and renegotiation
     *                     are tested there
     * @param legacySuites the suites accepted at {@code legacy}, for the raw hellos
     */
    SessionChecks(Probe probe, String sni, boolean tls13, ProtocolVersion legacy, List<Integer> legacySuites) {
        this.probe = probe;
        this.sni = sni;
        this.tls13 = tls13;
        this.legacy = legacy;
        this.legacySuites = legacySuites;
    }

    /**
     * Two handshakes on one client context: JSSE offers the cached session (ID and ticket, or the TLS 1.3 PSK) on
     * the second, and the second session keeps the first one's creation time only when it was resumed. At TLS 1.2
     * raw hellos then tell the mechanisms apart.
     */
    VulnerabilityFinding resumption() {
        List<String> how = new ArrayList<>();
        boolean resumed = false;
        try {
            if (tls13) {
                boolean r = resumes(ProtocolVersion.TLS_V1_3, null);
                resumed |= r;
                how.add(r ? "TLS 1.3 PSK resumption works" : "TLS 1.3 PSK resumption refused");
            }
            if (legacy != null) {
                byte[][] id = new byte[1][];
                boolean r = resumes(legacy, id);
                resumed |= r;
                boolean byId = id[0].length > 0 && resumesById(id[0]);
                how.add(legacy.displayName() + (r ? " resumption works" : " resumption refused")
                        + (byId ? ", session IDs accepted" : ", session IDs not accepted")
                        + (announcesTickets() ? ", tickets issued" : ", no tickets"));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            how.add("JSSE handshake failed: " + e.getMessage());
            return new VulnerabilityFinding("session_resumption", resumed ? "ok" : "unknown", String.join("; ", how));
        }
        return new VulnerabilityFinding("session_resumption", resumed ? "ok" : "warning", String.join("; ", how));
    }

    /** Whether a second JSSE handshake at {@code v} resumed the first; {@code firstId[0]} gets the first's ID. */
    private boolean resumes(ProtocolVersion v, byte[][] firstId) throws IOException, GeneralSecurityException {
        SSLContext ctx = context();
        SSLSession first;
        try (SSLSocket s = open(ctx, v)) {
            first = s.getSession();
            drain(s, sni); // TLS 1.3 tickets arrive after the handshake, with the first application data
        }
        if (firstId != null) {
            firstId[0] = first.getId();
        }
        try (SSLSocket s = open(ctx, v)) {
            return first.getCreationTime() == s.getSession().getCreationTime();
        }
    }

    /** A raw hello carrying the JSSE session's ID and no ticket extension: an echoed ID means "resumed". */
    private boolean resumesById(byte[] id) {
        HelloResult r = probe.hello(Hellos.base(sni, legacy, legacySuites).sessionId(id).sessionTicket(false)
                .build(), false);
        return r.accepted() && Arrays.equals(r.serverHello().sessionId(), id);
    }

    /** RFC 5077: a server that will send a NewSessionTicket echoes an empty session_ticket extension. */
    private boolean announcesTickets() {
        HelloResult r = probe.hello(Hellos.hello(sni, legacy, legacySuites), false);
        return r.accepted() && r.serverHello().has(ExtensionType.SESSION_TICKET);
    }

    /**
     * Client-initiated renegotiation (TLS 1.2 and older): JSSE starts a second handshake on an established
     * connection; if it completes, any client can make the server do expensive handshakes without reconnecting
     * (a DoS lever; testssl.sh flags it, SSL Labs does not grade it). Secure renegotiation (RFC 5746) is a
     * separate check.
     */
    VulnerabilityFinding renegotiation() {
        if (legacy == null) {
            return new VulnerabilityFinding("client_renegotiation", "not_applicable", "TLS 1.3 only (no "
                    + "renegotiation)");
        }
        long t0 = System.nanoTime();
        try (SSLSocket s = open(context(), legacy)) {
            long handshakeMillis = (System.nanoTime() - t0) / 1_000_000;
            CountDownLatch done = new CountDownLatch(1);
            s.addHandshakeCompletedListener(e -> done.countDown());
            s.startHandshake(); // established: this only sends a new ClientHello; reading drives the rest
            String outcome;
            try {
                // No request before the new handshake had its chance: OpenSSL refuses application data in the
                // middle of one. A refusal is often only a warning alert JSSE swallows, so after three initial
                // handshake times a request (answered, then closed by most servers) ends the wait early.
                poll(s, done, Math.max(300, 3 * handshakeMillis));
                if (done.getCount() > 0) {
                    drain(s, sni);
                }
                outcome = done.getCount() == 0 ? "accepted" : "refused (no new handshake)";
            } catch (IOException e) {
                outcome = done.getCount() == 0 ? "accepted" : "refused (" + e.getMessage() + ")";
            }
            boolean accepted = outcome.equals("accepted");
            return new VulnerabilityFinding("client_renegotiation", accepted ? "vulnerable" : "ok", accepted
                    ? "client-initiated renegotiation accepted (DoS risk; not graded)"
                    : "client-initiated renegotiation " + outcome);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return new VulnerabilityFinding("client_renegotiation", "unknown", "JSSE handshake failed at "
                    + legacy.displayName() + ": " + e.getMessage());
        }
    }

    private SSLContext context() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new JsseClient.TrustAll()}, new SecureRandom());
        return ctx;
    }

    private SSLSocket open(SSLContext ctx, ProtocolVersion v) throws IOException {
        InetSocketAddress address = probe.address();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        try {
            s.connect(address, (int) probe.options().connectTimeout().toMillis());
            s.setSoTimeout((int) probe.options().readTimeout().toMillis());
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {v.jdkName()});
            if (sni != null && !sni.isEmpty() && Character.isLetter(sni.charAt(sni.length() - 1))) {
                p.setServerNames(List.of(new SNIHostName(sni)));
            }
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A GET request, then read until close or a short timeout: drives post-handshake messages through JSSE. */
    private static void drain(SSLSocket s, String sni) throws IOException {
        // GET, not HEAD: openssl s_server -www answers (and closes) only on GET.
        String head = "GET / HTTP/1.0\r\nHost: " + sni + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        poll(s, null, DRAIN_MILLIS);
    }

    /**
     * Reads (and discards) in short slices until close, {@code stop} reaching zero, or {@code millis}:
     * short slices, because single-threaded servers (openssl s_server) serve nobody else while we hold them.
     */
    private static void poll(SSLSocket s, CountDownLatch stop, long millis) throws IOException {
        s.setSoTimeout(50);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline && (stop == null || stop.getCount() > 0)) {
            try {
                if (in.read(buf) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // nothing yet; check the latch and the deadline again
            }
        }
    }
}
