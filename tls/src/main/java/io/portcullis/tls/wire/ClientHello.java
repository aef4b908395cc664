package io.portcullis.tls.wire;

import java.util.List;
import java.util.Map;

/**
 * A parsed ClientHello: what a server (or a test's fake server) needs to decide its answer.
 *
 * @param clientVersion the legacy version field (0x0303 for TLS 1.3 clients)
 * @param cipherSuites  offered code points in order, SCSVs included
 * @param extensions    extension type to raw body
 */
public record ClientHello(int clientVersion, byte[] random, byte[] sessionId, List<Integer> cipherSuites,
                          byte[] compressionMethods, Map<Integer, byte[]> extensions) {
}
