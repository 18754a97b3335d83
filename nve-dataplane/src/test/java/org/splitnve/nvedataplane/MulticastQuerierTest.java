package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.ip;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.MulticastQuery;
import org.splitnve.vdpcore.MacAddress;

class MulticastQuerierTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");

    @Test
    void a_tsi_with_only_ipv4_gets_one_igmp_general_query_on_its_port_with_its_tag() {
        EgressTestBed bed = new EgressTestBed();
        bed.querier().queryArrived(active("p2", 5000, 200, A, ip("10.0.0.1")), 1);
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(bed.sta1.frames).isEmpty();
        ByteBuffer igmp = bed.sta2.last();
        int ip4 = Ethernet.TAGGED_HEADER;
        assertThat(Ethernet.destination(igmp, 0)).isEqualTo(A.toLong());
        assertThat(Ethernet.source(igmp, 0)).isEqualTo(bed.underlayMac());
        assertThat(Ethernet.vid(igmp, 0)).isEqualTo(200);
        assertThat(igmp.limit()).isGreaterThanOrEqualTo(Ethernet.MIN_FRAME);
        assertThat(Ipv4.protocol(igmp, ip4)).isEqualTo(IpProtocol.IGMP);
        assertThat(igmp.get(ip4 + MulticastQuery.IGMP_IP_HEADER) & 0xFF).isEqualTo(MulticastQuery.IGMP_QUERY);
        assertThat(igmp.get(ip4 + MulticastQuery.IGMP_IP_HEADER + 1) & 0xFF).as("max response, deciseconds").isEqualTo(100);
        assertThat(bed.counters.count(Event.QUERIES_SENT)).isEqualTo(1);
    }

    @Test
    void a_tsi_with_an_ipv6_address_also_gets_an_mld_query() {
        EgressTestBed bed = new EgressTestBed();
        bed.querier().queryArrived(active("p1", 5000, 100, A, ip("2001:db8::1")), 0);
        assertThat(bed.sta1.frames).hasSize(2);
        ByteBuffer mld = bed.sta1.frames.get(1);
        assertThat(Ethernet.payloadType(mld, 0)).isEqualTo(EtherType.IPV6);
        assertThat(mld.get(Ethernet.TAGGED_HEADER + 40 + MulticastQuery.MLD_HOP_BY_HOP) & 0xFF).isEqualTo(MulticastQuery.MLD_QUERY);
        assertThat(bed.counters.count(Event.QUERIES_SENT)).isEqualTo(2);
    }

    @Test
    void the_igmp_max_response_is_capped_at_what_its_code_holds_plainly() {
        EgressTestBed bed = new EgressTestBed();
        new MulticastQuerier(bed.egress, bed.scratches, 60_000).queryArrived(active("p1", 5000, 100, A), 0);
        ByteBuffer igmp = bed.sta1.last();
        assertThat(igmp.get(Ethernet.TAGGED_HEADER + MulticastQuery.IGMP_IP_HEADER + 1) & 0xFF).isEqualTo(127);
    }
}
