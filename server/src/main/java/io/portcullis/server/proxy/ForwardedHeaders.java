package io.portcullis.server.proxy;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.portcullis.server.http.Request;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Tells the upstream who the client is: {@code X-Forwarded-For/-Proto/-Host} (the de-facto headers every framework
 * reads) and RFC 7239 {@code Forwarded}. Both lists are appended to, like nginx's {@code $proxy_add_x_forwarded_for}:
 * the upstream decides how many hops it trusts; values the client claimed stay visibly left of ours.
 */
final class ForwardedHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    static final AsciiString FORWARDED = AsciiString.cached("Forwarded");

    /**
     * The values of the previous request on this thread: a connection's requests come from one client to one host, so
     * formatting its address and the RFC 7239 element again for each of them was most of the cost of these headers.
     */
    private static final FastThreadLocal<Hop> LAST = new FastThreadLocal<>();

    private ForwardedHeaders() {
    }

    private record Hop(InetAddress address, String scheme, String authority, String ip, String element) {
        boolean matches(InetAddress a, String s, String h) {
            return address.equals(a) && scheme.equals(s) && authority.equals(h);
        }
    }

    /**
     * Writes the forwarding headers for {@code request}; {@code priorFor} and {@code priorForwarded} are the values of
     * the client's own {@code X-Forwarded-For} and {@code Forwarded} fields, comma-joined, or null when it sent none.
     */
    static void write(Request request, CharSequence priorFor, CharSequence priorForwarded, HeadFieldSink out) {
        Hop hop = hop(request);
        String ip = hop != null ? hop.ip() : clientIp(request.peer());
        out.field(X_FORWARDED_FOR, appended(priorFor, ip));
        out.field(X_FORWARDED_PROTO, request.scheme());
        out.field(X_FORWARDED_HOST, request.authority());
        out.field(FORWARDED, appended(priorForwarded, hop != null ? hop.element() : element(request, ip)));
    }

    /** The hop we append is our peer (a client address vouched for by a trusted proxy is already in the list). */
    private static Hop hop(Request request) {
        InetSocketAddress peer = request.peer();
        String scheme = request.scheme();
        String authority = request.authority();
        if (peer == null || peer.getAddress() == null || scheme == null || authority == null) {
            return null; // rare enough not to cache
        }
        InetAddress address = peer.getAddress();
        Hop last = LAST.getIfExists();
        if (last != null && last.matches(address, scheme, authority)) {
            return last;
        }
        String ip = clientIp(peer);
        Hop hop = new Hop(address, scheme, authority, ip, element(request, ip));
        LAST.set(hop);
        return hop;
    }

    private static String element(Request request, String ip) {
        return "for=" + forNode(request.peer(), ip) + ";proto=" + value(request.scheme())
                + ";host=" + value(request.authority());
    }

    /** {@code element} after the existing list; most requests carry none. */
    private static CharSequence appended(CharSequence prior, String element) {
        return prior == null || prior.toString().isBlank() ? element : prior + ", " + element;
    }

    /** The client's address as X-Forwarded-For carries it: no brackets, no IPv6 zone. */
    static String clientIp(InetSocketAddress remote) {
        if (remote == null || remote.getAddress() == null) {
            return "unknown";
        }
        String ip = remote.getAddress().getHostAddress();
        int zone = ip.indexOf('%');
        return zone >= 0 ? ip.substring(0, zone) : ip;
    }

    /** RFC 7239 node: IPv4 bare, IPv6 bracketed and therefore quoted, {@code unknown} when there is no address. */
    static String forNode(InetSocketAddress remote) {
        return forNode(remote, clientIp(remote));
    }

    private static String forNode(InetSocketAddress remote, String ip) {
        if (remote == null || remote.getAddress() == null) {
            return "unknown";
        }
        InetAddress address = remote.getAddress();
        return address instanceof Inet6Address ? "\"[" + ip + "]\"" : ip;
    }

    /** A token as is; anything else (e.g. {@code host:8443}) as an RFC 7230 quoted-string. */
    static String value(String v) {
        if (v == null || v.isEmpty()) {
            return "\"\"";
        }
        boolean token = true;
        for (int i = 0; i < v.length() && token; i++) {
            char c = v.charAt(i);
            token = c < 127 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }
        if (token) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
