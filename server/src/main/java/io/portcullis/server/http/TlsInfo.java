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
 */
public record TlsInfo(String version, String cipher, String serverName, String alpn, String clientSubject) {
    /** Without a client certificate. */
    public TlsInfo(String version, String cipher, String serverName, String alpn) {
        this(version, cipher, serverName, alpn, null);
    }
}
