package io.portcullis.server.exchange;

import io.portcullis.server.http.TlsInfo;
import java.net.InetSocketAddress;

/**
 * What every request on one connection shares, computed once per connection (after the TLS handshake).
 *
 * @param remote the client's address
 * @param local  the server's address
 * @param tls    the handshake's parameters, or {@code null} on plain connections
 * @param scheme {@code https} or {@code http}
 */
public record ConnectionInfo(InetSocketAddress remote, InetSocketAddress local, TlsInfo tls, String scheme) {
}
