package io.portcullis.server.guard;

import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.config.ClientAuthConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.http.TlsInfo;
import io.portcullis.server.route.SiteTable;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Client certificates at the request level. The handshake (the site's SNI context) verifies the certificate; here
 * the verified subject reaches handlers and upstreams in the site's subject header, which a client can never set
 * itself. A request for a client-auth site on a connection whose handshake was not that site's (SNI of another site,
 * HTTP/2 connection reuse) or that carries no certificate although one is required (a reload turned client auth on)
 * cannot be answered on this connection: 421 Misdirected Request, so the client opens a new one.
 *
 * <p>HTTP/3 is not offered to such sites: Netty's QUIC server completes handshakes without asking for the client
 * certificate even when told to require one, so a QUIC connection never carries a subject. The site's responses do
 * not advertise {@code Alt-Svc}, and a request that still arrives over HTTP/3 meets the 421 above.
 */
public final class ClientCertGuard {
    private ClientCertGuard() {
    }

    /**
     * Removes any subject header the client sent, then sets the verified subject when the site asks for client
     * certificates and the connection's handshake was this site's.
     *
     * @param sites the sites of the config in service, to find the one whose context made the handshake (by SNI)
     * @return false when the request must be refused with 421 (nothing was added then)
     */
    public static boolean admit(SiteConfig site, SiteTable sites, TlsInfo tls, HttpHeaders headers) {
        ClientAuthConfig auth = site.tls() == null ? null : site.tls().clientAuth();
        headers.remove(auth == null ? ClientAuthConfig.DEFAULT_SUBJECT_HEADER : auth.subjectHeader());
        if (auth == null) {
            return true;
        }
        if (tls == null || sites.lookup(sniHost(tls)).config() != site) {
            return false;
        }
        if (tls.clientSubject() == null) {
            return auth.mode() == ClientAuthConfig.Mode.OPTIONAL;
        }
        headers.set(auth.subjectHeader(), tls.clientSubject());
        return true;
    }

    /** Whether the site asks for client certificates (then HTTP/3 is not advertised for it). */
    public static boolean asksForCertificates(SiteConfig site) {
        return site.tls() != null && site.tls().clientAuth() != null;
    }

    /** The SNI name as site lookups take it (lower case, no trailing dot), or {@code null}. */
    static String sniHost(TlsInfo tls) {
        if (tls == null || tls.serverName() == null) {
            return null;
        }
        String h = tls.serverName().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * The verified client certificate's subject, header-safe; {@code null} when the client sent none. An engine that
     * never asked for a certificate cannot have one, and is not asked for it: the session reports a missing
     * certificate by throwing, and the exception's stack trace was about 2% of every full handshake's server CPU.
     */
    public static String subject(SSLEngine engine) {
        if (engine == null || !engine.getNeedClientAuth() && !engine.getWantClientAuth()) {
            return null;
        }
        return subject(engine.getSession());
    }

    /** The verified client certificate's subject, header-safe; {@code null} when the client sent none. */
    public static String subject(SSLSession session) {
        if (session == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        return headerSafe(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253));
    }

    /**
     * RFC 4514 allows any character as a {@code \XX} hex pair: bytes outside printable ASCII are written that way, so
     * a certificate cannot put a line break or a non-ASCII byte into a header.
     */
    static String headerSafe(String dn) {
        StringBuilder sb = new StringBuilder(dn.length());
        for (byte b : dn.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append('\\').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
