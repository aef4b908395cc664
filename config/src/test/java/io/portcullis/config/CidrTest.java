package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    private static boolean in(String cidr, String address) throws Exception {
        return Cidr.parse(cidr).contains(InetAddress.getByName(address));
    }

    @Test
    void ipv4BlocksMatchExactlyTheirPrefix() throws Exception {
        assertThat(in("10.0.0.0/8", "10.255.1.2")).isTrue();
        assertThat(in("10.0.0.0/8", "11.0.0.0")).isFalse();
        assertThat(in("192.168.4.0/22", "192.168.7.255")).isTrue();
        assertThat(in("192.168.4.0/22", "192.168.8.0")).isFalse();
        assertThat(in("192.168.4.0/22", "192.168.3.255")).isFalse();
        assertThat(in("0.0.0.0/0", "203.0.113.9")).isTrue();
        assertThat(in("203.0.113.9/32", "203.0.113.9")).isTrue();
        assertThat(in("203.0.113.9", "203.0.113.8")).isFalse();
        assertThat(in("128.0.0.0/1", "127.255.255.255")).isFalse();
        assertThat(in("128.0.0.0/1", "128.0.0.0")).isTrue();
    }

    @Test
    void ipv6BlocksMatchExactlyTheirPrefix() throws Exception {
        assertThat(in("2001:db8::/32", "2001:db8:ffff::1")).isTrue();
        assertThat(in("2001:db8::/32", "2001:db9::1")).isFalse();
        assertThat(in("fe80::/10", "febf::1")).isTrue();
        assertThat(in("fe80::/10", "fec0::1")).isFalse();
        assertThat(in("::1", "::1")).isTrue();
        assertThat(in("::/0", "2001:db8::1")).isTrue();
        assertThat(in("2001:db8::1:0/127", "2001:db8::1:1")).isTrue();
        assertThat(in("2001:db8::1:0/127", "2001:db8::1:2")).isFalse();
    }

    @Test
    void familiesNeverMatchEachOther() throws Exception {
        assertThat(in("::/0", "10.0.0.1")).isFalse();
        assertThat(in("0.0.0.0/0", "::1")).isFalse();
    }

    @Test
    void ipv4MappedAddressesMatchIpv4Rules() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        assertThat(Cidr.parse("10.0.0.0/8").contains(mapped)).isTrue();
        assertThat(Cidr.parse("11.0.0.0/8").contains(mapped)).isFalse();
    }

    @Test
    void printsTheCanonicalForm() {
        assertThat(Cidr.parse("2001:DB8:0:0::/32")).hasToString("2001:db8::/32");
        assertThat(Cidr.parse("10.1.2.3")).hasToString("10.1.2.3/32");
        assertThat(Cidr.parse("::1")).hasToString("::1/128");
        assertThat(Cidr.parse("2001:db8::/32")).isEqualTo(Cidr.parse("2001:db8:0::/32"));
    }

    @Test
    void hostBitsAfterThePrefixAreAMistake() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
                .hasMessage("host bits set after /8; the block is 10.0.0.0/8");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32"))
                .hasMessage("host bits set after /32; the block is 2001:db8::/32");
    }

    @Test
    void refusesWhatIsNotALiteralBlock() {
        for (String bad : new String[]{"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0", "10.0.0.256",
                "010.0.0.1", "example.com", "10.0.0.0/x", "[::1]", "fe80::1%eth0", "1.2.3.4.5", "10.0.0.0/-1",
                "2001:db8:::1"}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
