package io.portcullis.config;

import java.time.Duration;

/**
 * HTTP/3 over QUIC on the https listener's UDP port.
 *
 * @param enabled              {@code listeners.https.http3}; default true
 * @param initialMaxData       connection-level receive window in bytes; default 10 MiB
 * @param initialMaxStreamData per-stream receive window in bytes; default 1 MiB
 * @param maxConcurrentStreams bidirectional (request) streams a client may open at once; default 100
 * @param idleTimeout          a connection without packets for this long is closed; default 30s
 * @param addressValidation    Retry tokens: {@code auto}: only while at least {@code retryThreshold} handshakes are in
 *                             flight; {@code always}: every new connection (costs one round trip); {@code off}: never
 * @param receiveBuffer        SO_RCVBUF asked for the UDP socket; default 4 MiB (capped by net.core.rmem_max)
 * @param sendBuffer           SO_SNDBUF asked for the UDP socket; default 4 MiB (capped by net.core.wmem_max)
 * @param altSvc               send {@code Alt-Svc: h3=":PORT"; ma=86400} on h1/h2 responses while the UDP listener
 *                             is up; default true
 * @param earlyData            accept 0-RTT (TLS early data) from resuming clients; requests that arrive in it are
 *                             replayable, so unsafe methods get 425 and upstreams see {@code Early-Data: 1};
 *                             default false
 * @param retryThreshold       with {@code auto}: handshakes in flight from which new connections get a Retry; default
 *                             64
 */
public record QuicConfig(boolean enabled, long initialMaxData, long initialMaxStreamData, long maxConcurrentStreams,
                         Duration idleTimeout, AddressValidation addressValidation, int receiveBuffer, int sendBuffer,
                         boolean altSvc, boolean earlyData, int retryThreshold) {
    public enum AddressValidation { AUTO, ALWAYS, OFF }

    public static QuicConfig defaults() {
        return new QuicConfig(true, 10L * 1024 * 1024, 1024 * 1024, 100, Duration.ofSeconds(30),
                AddressValidation.AUTO, 4 * 1024 * 1024, 4 * 1024 * 1024, true, false, 64);
    }

    public QuicConfig withAltSvc(boolean on) {
        return new QuicConfig(enabled, initialMaxData, initialMaxStreamData, maxConcurrentStreams, idleTimeout,
                addressValidation, receiveBuffer, sendBuffer, on, earlyData, retryThreshold);
    }

    public QuicConfig withEnabled(boolean on) {
        return new QuicConfig(on, initialMaxData, initialMaxStreamData, maxConcurrentStreams, idleTimeout,
                addressValidation, receiveBuffer, sendBuffer, altSvc, earlyData, retryThreshold);
    }
}
