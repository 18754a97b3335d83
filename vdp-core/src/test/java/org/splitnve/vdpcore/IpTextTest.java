package org.splitnve.vdpcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.Seeds.Case;

/** RFC 5952 text for IPv6, dotted quads for IPv4, and IPv4-mapped addresses that stay IPv6. */
class IpTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "20010db8000000000000000000000001, 2001:db8::1",
        "20010DB8000000000000000000000001, 2001:db8::1",          // lower case (4.3)
        "20010db8000000010000000000000001, 2001:db8:0:1::1",      // the longest run is compressed (4.2.3)
        "20010db8000000000001000000000001, 2001:db8::1:0:0:1",    // the first of equal runs (4.2.3)
        "20010db8000100010001000100010000, 2001:db8:1:1:1:1:1:0", // one zero group is not '::' (4.2.2)
        "00000000000000000000000000000000, ::",
        "00000000000000000000000000000001, ::1",
        "fe800000000000000000000000000000, fe80::",
        "ff020000000000000000000000000001, ff02::1",
        "00010000000000000000000000000000, 1::",
        "20010db8000000000000000000000000, 2001:db8::",
        "0001000200030004000500060007ffff, 1:2:3:4:5:6:7:ffff",
        "20010db800000000000100000000ffff, 2001:db8::1:0:0:ffff",
        "00000000000000000000ffffc0000201, ::ffff:192.0.2.1",     // IPv4-mapped: mixed notation (5)
        "00000000000000000000ffff00000000, ::ffff:0.0.0.0",
        "00000000000000000000ffff80ff7f01, ::ffff:128.255.127.1",
        "00000000000000000000fffe0a000001, ::fffe:a00:1",         // not IPv4-mapped
    })
    void ipv6TextIsRfc5952Canonical(String hex, String text) {
        Inet6Address a = IpText.ipv6(HexDump.parse(hex));
        assertThat(IpText.formatIpv6(HexDump.parse(hex))).isEqualTo(text);
        assertThat(IpText.format(a)).isEqualTo(text);
        assertThat(IpText.parse(text)).isEqualTo(a).isInstanceOf(Inet6Address.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0a000001, 10.0.0.1", "00000000, 0.0.0.0", "ffffffff, 255.255.255.255", "7f80ff01, 127.128.255.1"})
    void ipv4TextIsTheDottedQuad(String hex, String text) {
        Inet4Address a = IpText.ipv4(HexDump.parse(hex));
        assertThat(IpText.format(a)).isEqualTo(text);
        assertThat(IpText.formatIpv4(HexDump.parse(hex))).isEqualTo(text);
        assertThat(IpText.parse(text)).isEqualTo(a).isInstanceOf(Inet4Address.class);
    }

    @Test
    void anIpv4MappedAddressStaysIpv6() throws Exception {
        // InetAddress.getByAddress and getByName both turn ::ffff:a.b.c.d into an IPv4 address.
        byte[] mapped = HexDump.parse("00000000000000000000ffffc0000201");
        assertThat(InetAddress.getByAddress(mapped)).isInstanceOf(Inet4Address.class);
        assertThat(IpText.ipv6(mapped)).isInstanceOf(Inet6Address.class);
        assertThat(IpText.ipv6(mapped).getAddress()).isEqualTo(mapped);
        assertThat(IpText.parse("::ffff:192.0.2.1")).isInstanceOf(Inet6Address.class);
        assertThat(IpText.parse("::FFFF:c000:0201").getAddress()).isEqualTo(mapped);
    }

    @Test
    void parseAcceptsUncompressedAndUpperCaseIpv6AndTrimsWhiteSpace() {
        assertThat(IpText.parse(" 2001:0DB8:0000:0000:0000:0000:0000:0001 ")).isEqualTo(IpText.parse("2001:db8::1"));
        assertThat(IpText.parse("\t10.0.0.1\n")).isEqualTo(IpText.parse("10.0.0.1"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-1", "+1.2.3.4", "1.+2.3.4", "1..3.4", "1.2.3.4.",
        "a.b.c.d", "1.2.3.0004", "\u0661.2.3.4",   // an Arabic-Indic digit one
        "::g", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "[::1]", "fe80::1%eth0", "localhost", "example.org",
        "2001:db8::1:", "12345::",
    })
    void parseRejectsAnythingButALiteralWithoutAskingAResolver(String text) {
        assertThatThrownBy(() -> IpText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThatThrownBy(() -> IpText.ipv4(new byte[5])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpText.ipv6(new byte[4])).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> addresses() {
        return Seeds.cases("ip-text", 300, r -> Generators.bytes(r, r.nextBoolean() ? 4 : 16));
    }

    @ParameterizedTest
    @MethodSource("addresses")
    void formatThenParseGivesTheSameAddress(Case<byte[]> c) {
        byte[] b = c.value();
        InetAddress a = b.length == 4 ? IpText.ipv4(b) : IpText.ipv6(b);
        String text = IpText.format(a);
        assertThat(IpText.parse(text).getAddress()).as(c::describe).isEqualTo(b);
        assertThat(text).as(c::describe).isEqualTo(text.toLowerCase()).doesNotContain(":::");
        if (b.length == 16) {
            // Agrees with the JDK's uncompressed text once both are expanded.
            assertThat(IpText.parse(a.getHostAddress()).getAddress()).isEqualTo(b);
        }
    }
}
