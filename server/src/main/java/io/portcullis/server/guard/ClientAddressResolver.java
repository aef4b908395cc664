package io.portcullis.server.guard;

import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.config.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real client behind trusted proxies. Headers are believed only when the peer itself is a trusted proxy; then the
 * hops of {@code Forwarded} (RFC 7239, preferred when present) or else {@code X-Forwarded-For} are read right to left,
 * skipping trusted proxies: the first untrusted hop is the client. Anything left of it was written by the client and
 * is ignored, so a client cannot pick its own address by sending the header. A hop that is not an IP address (an
 * obfuscated identifier, {@code unknown}, garbage) ends the walk at the last address that was read.
 */
public final class ClientAddressResolver {
    private final List<Cidr> trusted;

    public ClientAddressResolver(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public boolean isTrusted(InetAddress address) {
        byte[] b = address.getAddress();
        for (Cidr c : trusted) {
            if (c.contains(b)) {
                return true;
            }
        }
        return false;
    }

    /** The client's address; {@code peer} itself unless it is trusted and a forwarding header names another. */
    public InetSocketAddress resolve(InetSocketAddress peer, HttpHeaders headers) {
        if (trusted.isEmpty() || peer.getAddress() == null || !isTrusted(peer.getAddress())) {
            return peer;
        }
        List<String> hops = headers.contains("forwarded") ? forwardedFor(headers.getAll("forwarded"))
                : xForwardedFor(headers.getAll("x-forwarded-for"));
        InetSocketAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break;
            }
            client = new InetSocketAddress(hop, 0);
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    static List<String> xForwardedFor(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /** The {@code for=} node of each element, in order; an element without one counts as an unknown hop. */
    static List<String> forwardedFor(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String element : v.split(",")) {
                String node = "unknown";
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        node = unquote(pair.substring(eq + 1).strip());
                    }
                }
                out.add(node);
            }
        }
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.startsWith("[")) { // "[2001:db8::1]:4711"
            int close = s.indexOf(']');
            return close < 0 ? s : s.substring(1, close);
        }
        int colon = s.indexOf(':');
        return colon >= 0 && s.indexOf(':', colon + 1) < 0 ? s.substring(0, colon) : s; // 192.0.2.1:4711
    }

    /** An IP literal, or {@code null}; never a DNS lookup. */
    static InetAddress literal(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        try {
            Cidr c = Cidr.parse(s);
            return InetAddress.getByAddress(c.network());
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }
}
