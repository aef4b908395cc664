package io.portcullis.server.http;

/**
 * What the TLS handshake of the request's connection settled on.
 *
 * @param version       e.g. {@code TLSv1.3}
 * @param cipher        IANA name, e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param serverName    SNI the client sent, or {@code null}
 * @param alpn          negotiated protocol, e.g. {@code h2}, or {@code null}
 * @param clientSubject the subject DN (RFC 4514) of the client certificate the handshake verified, or {@code null}
 *                      when the client sent none (only sites with {@code tls.client_auth} ask for one)
 * @param earlyData     the request arrived in 0-RTT early data, before the handshake completed: an attacker who
 *                      recorded it can replay it (RFC 8470), so only safe methods are served
 */
public record TlsInfo(String version, String cipher, String serverName, String alpn, String clientSubject,
                      boolean earlyData) {
    /** After a completed handshake, without a client certificate. */
    public TlsInfo(String version, String cipher, String serverName, String alpn) {
        this(version, cipher, serverName, alpn, null, false);
    }

    /** After a completed handshake. */
    public TlsInfo(String version, String cipher, String serverName, String alpn, String clientSubject) {
        this(version, cipher, serverName, alpn, clientSubject, false);
    }
}
