package io.portcullis.config;

import java.time.Duration;

/**
 * Request and connection limits. Each names the status a client sees when it is crossed.
 *
 * @param maxUriBytes           request line URI longer than this: 414 (default 8 KiB)
 * @param maxHeaderBytes        header section larger than this: 431 (default 16 KiB)
 * @param maxBodyBytes          request body larger than this: 413 (default 10 MiB; routes may override)
 * @param headerTimeout         request headers not complete in this time: 408 and close (default 10 s)
 * @param idleTimeout           keep-alive connection idle this long is closed (default 60 s)
 * @param shutdownGrace         on SIGTERM, requests in flight get this long to finish (default 30 s)
 * @param maxPipelinedRequests  HTTP/1.1 requests queued behind the one being answered (default 16)
 * @param maxConcurrentStreams  HTTP/2 streams per connection (default 128)
 * @param maxConnectionsPerAddress open connections from one client address on the https listener; more are closed at
 *                              accept; 0 for no limit (default)
 * @param maxConnections        open TCP connections on the https and http listeners together; more are closed at
 *                              accept (default {@link ConfigDefaults#MAX_CONNECTIONS})
 */
public record LimitsConfig(
        int maxUriBytes,
        int maxHeaderBytes,
        long maxBodyBytes,
        Duration headerTimeout,
        Duration idleTimeout,
        Duration shutdownGrace,
        int maxPipelinedRequests,
        int maxConcurrentStreams,
        int maxConnectionsPerAddress,
        int maxConnections) {

    /** With the default total connection limit. */
    public LimitsConfig(int maxUriBytes, int maxHeaderBytes, long maxBodyBytes, Duration headerTimeout,
                        Duration idleTimeout, Duration shutdownGrace, int maxPipelinedRequests,
                        int maxConcurrentStreams, int maxConnectionsPerAddress) {
        this(maxUriBytes, maxHeaderBytes, maxBodyBytes, headerTimeout, idleTimeout, shutdownGrace,
                maxPipelinedRequests, maxConcurrentStreams, maxConnectionsPerAddress, ConfigDefaults.MAX_CONNECTIONS);
    }

    /** Without a per-address connection limit. */
    public LimitsConfig(int maxUriBytes, int maxHeaderBytes, long maxBodyBytes, Duration headerTimeout,
                        Duration idleTimeout, Duration shutdownGrace, int maxPipelinedRequests,
                        int maxConcurrentStreams) {
        this(maxUriBytes, maxHeaderBytes, maxBodyBytes, headerTimeout, idleTimeout, shutdownGrace,
                maxPipelinedRequests, maxConcurrentStreams, 0);
    }
}
