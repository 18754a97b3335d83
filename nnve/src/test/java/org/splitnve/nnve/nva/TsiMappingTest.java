package org.splitnve.nnve.nva;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

class TsiMappingTest {

    @Test
    void mappings_of_vms_numbered_in_turn_over_vns_in_turn_have_distinct_hash_codes() {
        Set<Integer> hashes = new HashSet<>();
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            hashes.add(new TsiMapping(VnId.of(5001 + i % 8), MacAddress.valueOf(0x020000100000L + i), null, "192.0.2.1").hashCode());
        }
        // A record's 31 * h + next gave 50,000 such mappings 6,300 hash codes.
        assertThat(hashes.size()).isGreaterThan(n - n / 1000);
    }

    @Test
    void equal_mappings_have_equal_hash_codes() throws Exception {
        InetAddress ip = InetAddress.getByName("10.0.0.1");
        TsiMapping a = new TsiMapping(VnId.of(7), MacAddress.valueOf("02:00:00:00:00:01"), ip, "nve-a");
        TsiMapping b = new TsiMapping(VnId.of(7), MacAddress.valueOf("02:00:00:00:00:01"), InetAddress.getByName("10.0.0.1"), "nve-a");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(new TsiMapping(VnId.of(7), null, ip, "nve-a")).isNotEqualTo(a);
    }
}
