package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzz targets, one per decoder: each either accepts the bytes (and then what it reports lies
 * within them) or throws {@link MalformedPacketException}; nothing else. A plain build replays the
 * committed inputs in {@code CodecFuzzTestInputs/<target>/}; {@code -Djazzer.fuzz=1} fuzzes.
 */
class CodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void fuzzEthernet(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        try {
            Ethernet.check(b, 0, input.length);
            assertThat(Ethernet.payloadOffset(b, 0)).isLessThanOrEqualTo(input.length);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzIpv4(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        try {
            Ipv4.check(b, 0, input.length);
            assertThat(Ipv4.totalLength(b, 0)).isBetween(Ipv4.headerLength(b, 0), input.length);
            assertThat(Ipv4.computeChecksum(b, 0)).isEqualTo(b.getShort(10) & 0xFFFF);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzIpv6(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        try {
            Ipv6.check(b, 0, input.length);
            assertThat(Ipv6.HEADER + Ipv6.payloadLength(b, 0)).isLessThanOrEqualTo(input.length);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzUdp(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        try {
            Udp.check(b, 0, input.length);
            assertThat(Udp.length(b, 0)).isBetween(Udp.HEADER, input.length);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzArp(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        try {
            Arp.check(b, 0, input.length);
            assertThat(Arp.operation(b, 0)).isIn(Arp.REQUEST, Arp.REPLY);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzNeighbor(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        try {
            Neighbor.check(b, 0, input.length);
            Neighbor.linkLayerOption(b, 0, Neighbor.OPTION_SOURCE_LL);
            Neighbor.linkLayerOption(b, 0, Neighbor.OPTION_TARGET_LL);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzVxlanTunnel(byte[] input) {
        tunnel(input, Encapsulation.VXLAN);
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzGeneveTunnel(byte[] input) {
        tunnel(input, Encapsulation.GENEVE);
    }

    private static void tunnel(byte[] input, Encapsulation enc) {
        ByteBuffer b = ByteBuffer.wrap(input);
        Tunnel.Decoded d = new Tunnel.Decoded();
        Malformation m = Tunnel.decapsulate(b, 0, input.length, enc, true, d);
        if (m == null && d.tunnel) {
            assertThat(d.innerOffset + d.innerLength).isLessThanOrEqualTo(input.length);
            assertThat(d.innerLength).isGreaterThanOrEqualTo(Ethernet.HEADER);
            assertThat(d.vni).isBetween(0, 0xFFFFFF);
            FlowHash.sourcePort(b, d.innerOffset, d.innerLength);
        }
        try {
            Tunnel.decode(b, 0, input.length, enc);
        } catch (MalformedPacketException e) {
            assertThat(e.reason()).isNotNull();
        }
    }
}
