package io.portcullis.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one
 * ({@code /32} or {@code /128}). Matching is exact bit comparison of the first {@code prefix} bits. IPv4-mapped IPv6
 * addresses ({@code ::ffff:10.1.2.3}) are matched as the IPv4 address they carry, so a dual-stack listener's clients
 * match IPv4 rules.
 *
 * @param network the block's address bytes (4 or 16), host bits zero
 * @param prefix  the number of leading bits that must match
 */
public record Cidr(byte[] network, int prefix) {
    public static final String EXPECTED = "an IPv4 or IPv6 address or block like 10.0.0.0/8 or 2001:db8::/32";

    public Cidr {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("address of " + network.length + " bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        network = network.clone();
    }

    /**
     * Parses {@code address[/prefix]}. Only literals: a host name is an error (rules never depend on DNS).
     *
     * @throws IllegalArgumentException with what was wrong, when {@code text} is not a block or has host bits set
     *                                  after the prefix ({@code 10.0.0.1/8} is a mistake for {@code 10.0.0.0/8})
     */
    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        byte[] address = literal(addressText);
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("prefix length " + p + " is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException("prefix length " + prefix + " is longer than " + bits + " bits");
            }
        }
        byte[] masked = mask(address, prefix);
        if (!Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("host bits set after /" + prefix + "; the block is "
                    + format(masked) + "/" + prefix);
        }
        return new Cidr(address, prefix);
    }

    /** Whether the address is in this block. Addresses of the other family never match. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** {@link #contains(InetAddress)} on raw bytes (4 or 16). */
    public boolean contains(byte[] address) {
        byte[] a = unmapped(address);
        if (a.length != network.length) {
            return false;
        }
        int full = prefix >>> 3;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int m = 0xff << (8 - rest) & 0xff;
        return (a[full] & m) == (network[full] & m);
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }

    /** IPv4-mapped IPv6 bytes ({@code ::ffff:a.b.c.d}) as the 4 IPv4 bytes; anything else unchanged. */
    static byte[] unmapped(byte[] a) {
        if (a.length != 16) {
            return a;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return a;
            }
        }
        if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
            return a;
        }
        return new byte[]{a[12], a[13], a[14], a[15]};
    }

    private static byte[] literal(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no address");
        }
        if (s.indexOf(':') >= 0) {
            // InetAddress parses IPv6 literals without DNS; brackets and zone ids have no place in a rule.
            if (!s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("not an IPv6 address");
            }
            try {
                byte[] b = InetAddress.getByName(s).getAddress();
                if (b.length == 4) { // Java turns ::ffff:a.b.c.d into IPv4; keep the family the user wrote
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(b, 0, mapped, 12, 4);
                    return mapped;
                }
                return b;
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IPv6 address");
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            // Leading zeros are refused: some parsers read 010 as octal 8, so the meaning would be ambiguous.
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || p.length() > 1 && p.charAt(0) == '0') {
                throw new IllegalArgumentException("not an IP address");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IP address (" + v + " > 255)");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] mask(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    private static String format(byte[] a) {
        try {
            String s = InetAddress.getByAddress(a).getHostAddress();
            return a.length == 16 ? compress(s) : s;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints {@code 2001:db8:0:0:0:0:0:0}; rules read better as {@code 2001:db8::}. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
