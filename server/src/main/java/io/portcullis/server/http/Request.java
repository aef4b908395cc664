package io.portcullis.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;

/**
 * A request head as every handler sees it, whatever protocol carried it. Immutable, except that the request id is
 * made when first asked for; like the rest of an exchange, it is used on its event loop only.
 *
 * @param method        the method
 * @param scheme        {@code https} (or {@code http} on the redirect listener)
 * @param host          lower-case host without port, from Host or :authority
 * @param authority     host[:port] as the client sent it
 * @param path          the normalised, percent-decoded path used for routing ({@code /a/../b} is {@code /b})
 * @param rawPath       the path as the client sent it (still encoded), forwarded to upstreams
 * @param rawQuery      the query without {@code ?}, or {@code null}
 * @param headers       request headers (HTTP/2 and HTTP/3 pseudo-headers removed); read-only by convention
 * @param contentLength declared body length, 0 for none, -1 when unknown (chunked or streamed)
 * @param protocol      the wire protocol
 * @param remote        the client's address: the connection's peer, or the address a trusted proxy vouched for
 *                      (X-Forwarded-For, Forwarded, PROXY protocol); used by access rules, limits and logs
 * @param local         the server's address the request arrived on
 * @param tls           the connection's TLS parameters, or {@code null} on plain listeners
 * @param requestId     unique id, also in the access log and in error pages; {@code null} to have one made on first
 *                      use (most requests never need theirs: no access log, no error, not proxied)
 * @param peer          the address this hop came from (the connection's peer, or the PROXY protocol source): what
 *                      this server appends to X-Forwarded-For when it proxies
 */
public final class Request {
    private final HttpMethod method;
    private final String scheme;
    private final String host;
    private final String authority;
    private final String path;
    private final String rawPath;
    private final String rawQuery;
    private final HttpHeaders headers;
    private final long contentLength;
    private final Protocol protocol;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final TlsInfo tls;
    private final InetSocketAddress peer;
    private String requestId;

    public Request(HttpMethod method, String scheme, String host, String authority, String path, String rawPath,
                   String rawQuery, HttpHeaders headers, long contentLength, Protocol protocol,
                   InetSocketAddress remote, InetSocketAddress local, TlsInfo tls, String requestId,
                   InetSocketAddress peer) {
        this.method = method;
        this.scheme = scheme;
        this.host = host;
        this.authority = authority;
        this.path = path;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.contentLength = contentLength;
        this.protocol = protocol;
        this.remote = remote;
        this.local = local;
        this.tls = tls;
        this.requestId = requestId;
        this.peer = peer == null ? remote : peer;
    }

    /** A request whose client is its peer. */
    public Request(HttpMethod method, String scheme, String host, String authority, String path, String rawPath,
                   String rawQuery, HttpHeaders headers, long contentLength, Protocol protocol,
                   InetSocketAddress remote, InetSocketAddress local, TlsInfo tls, String requestId) {
        this(method, scheme, host, authority, path, rawPath, rawQuery, headers, contentLength, protocol, remote, local,
                tls, requestId, remote);
    }

    /** This request with the client address a trusted proxy reported; {@link #peer()} and the id stay. */
    public Request withClient(InetSocketAddress client) {
        return new Request(method, scheme, host, authority, path, rawPath, rawQuery, headers, contentLength, protocol,
                client, local, tls, requestId(), peer);
    }

    public HttpMethod method() {
        return method;
    }

    public String scheme() {
        return scheme;
    }

    public String host() {
        return host;
    }

    public String authority() {
        return authority;
    }

    public String path() {
        return path;
    }

    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public long contentLength() {
        return contentLength;
    }

    public Protocol protocol() {
        return protocol;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public InetSocketAddress local() {
        return local;
    }

    public TlsInfo tls() {
        return tls;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public String requestId() {
        String id = requestId;
        if (id == null) {
            id = RequestIds.next();
            requestId = id;
        }
        return id;
    }

    /** Path and query as the client sent them, e.g. {@code /a%20b?x=1}. */
    public String rawUri() {
        return rawQuery == null ? rawPath : rawPath + '?' + rawQuery;
    }

    /** Whether the request may carry a body at all (declared length > 0 or unknown length). */
    public boolean hasBody() {
        return contentLength != 0;
    }

    @Override
    public String toString() {
        return method + " " + rawUri() + " (" + protocol + ", host " + host + ", from " + remote + ")";
    }
}
