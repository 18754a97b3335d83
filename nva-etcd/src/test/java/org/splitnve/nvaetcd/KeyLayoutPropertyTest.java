package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.VnId;

/** Keys and values written by the layout read back to what was written, and nothing else reads as one of ours. */
class KeyLayoutPropertyTest {

    private static final KeyLayout LAYOUT = new KeyLayout(KeyLayout.DEFAULT_PREFIX);

    static Stream<Arguments> mappings() {
        return Seeds.cases("nva-etcd mapping keys", 300, KeyLayoutPropertyTest::randomMapping);
    }

    private static Object[] randomMapping(SplittableRandom r) {
        VnId vn = VnId.of(1 + r.nextInt(VnId.MAX));
        MacAddress mac = r.nextInt(4) == 0 ? null : MacAddress.valueOf(r.nextLong() & 0xFEFFFFFFFFFFL);
        InetAddress ip = null;
        if (mac == null || r.nextBoolean()) {
            byte[] b = new byte[r.nextBoolean() ? 4 : 16];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) r.nextInt(256);
            }
            ip = b.length == 4 ? IpText.ipv4(b) : IpText.ipv6(b);
        }
        return new Object[] {new TsiMapping(vn, mac, ip, randomText(r)), r.nextBoolean() ? NvaView.MAPPING : NvaView.FORWARDING};
    }

    /** Names with slashes, percent signs, spaces, newlines and non-ASCII letters. */
    private static String randomText(SplittableRandom r) {
        String alphabet = "ab/%: \n=.-_~é中0";
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString().isBlank() ? "x" + sb : sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void a_mapping_key_reads_back_as_the_mapping_and_view_it_was_built_from(Seeds.Case<Object[]> c) {
        TsiMapping m = (TsiMapping) c.value()[0];
        NvaView view = (NvaView) c.value()[1];
        String key = LAYOUT.mapping(m, view);
        assertThat(key).as(c.describe()).startsWith(LAYOUT.mappingPrefix());
        assertThat(key.substring(LAYOUT.mappingPrefix().length()).split("/", -1)).as(c.describe()).hasSize(5);
        assertThat(LAYOUT.parseMapping(key)).as(c.describe()).contains(new KeyLayout.MappingKey(m, view));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void a_vn_value_reads_back_as_the_context_it_was_built_from(Seeds.Case<Object[]> c) {
        TsiMapping m = (TsiMapping) c.value()[0];
        String name = m.nve();
        VnContext ctx = new VnContext(m.vn(), name, java.util.Map.of(name, name + "=v", "k", "\n"));
        assertThat(Values.vn(m.vn(), Values.vn(ctx))).as(c.describe()).contains(ctx);
    }

    @Test
    void keys_in_another_spelling_or_shape_are_not_ours() {
        String p = LAYOUT.mappingPrefix();
        assertThat(LAYOUT.parseMapping(p + "forwarding/5001/192.0.2.1/02:00:00:00:00:01/-")).isPresent();
        assertThat(LAYOUT.parseMapping(p + "forwarding/05001/192.0.2.1/02:00:00:00:00:01/-")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "forwarding/5001/192.0.2.1/02:00:00:00:00:0A/-")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "forwarding/5001/192.0.2.1/-/-")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "forwarding/0/192.0.2.1/02:00:00:00:00:01/-")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "forwarding/5001/192.0.2.1/02:00:00:00:00:01/-/x")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "forwarding/5001/%2/02:00:00:00:00:01/-")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "active/5001/192.0.2.1/02:00:00:00:00:01/-")).isEmpty();
        assertThat(LAYOUT.parseMapping(p + "forwarding/5001/192.0.2.1/02:00:00:00:00:01/10.0.0.01")).isEmpty();
        assertThat(LAYOUT.parseVnId(LAYOUT.vnIdPrefix() + "5001")).contains(VnId.of(5001));
        assertThat(LAYOUT.parseVnId(LAYOUT.vnIdPrefix() + "+5001")).isEmpty();
        assertThat(LAYOUT.parseVnId(LAYOUT.vnIdPrefix() + "16777216")).isEmpty();
    }

    @Test
    void values_that_are_not_ours_are_refused() {
        assertThat(Values.holders("2")).isEqualTo(2);
        assertThat(Values.holders("0")).isEqualTo(-1);
        assertThat(Values.holders("-1")).isEqualTo(-1);
        assertThat(Values.holders("two")).isEqualTo(-1);
        assertThat(Values.vn(VnId.of(1), "attribute.x=1\n")).isEmpty();
        assertThat(Values.vn(VnId.of(1), "name=%ZZ\n")).isEmpty();
        assertThat(Values.vn(VnId.of(1), "name=red\nfuture=1\n")).contains(new VnContext(VnId.of(1), "red"));
    }
}
