package org.splitnve.ecptransport.ecp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.frame.EtherType;

/** docs/PROTOCOL.md 4.3: where an engine sends (requests, replies) and what it takes (its MAC, its groups). */
class EcpAddressingTest {

    private static final MacAddress US = MacAddress.valueOf("02:00:00:00:00:01");
    private static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:00:02");
    private static final MacAddress GROUP = MacAddress.valueOf("03:00:00:00:ec:01");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final MemoryLink[] pair = MemoryLink.pair(clock, "us", US, "peer", PEER, LinkFaults.NONE);
    private final List<byte[]> seenByPeer = new ArrayList<>();
    private final List<MacAddress> delivered = new ArrayList<>();

    private EcpEngine engine(EcpConfig config) {
        pair[1].addListener((f, t) -> {
            byte[] b = new byte[f.remaining()];
            f.get(b);
            seenByPeer.add(b);
        });
        EcpEngine e = new EcpEngine(pair[0], clock, config, 42).start();
        e.register(EcpSubtype.VDP, (peer, payload) -> delivered.add(peer));
        return e;
    }

    private static MacAddress destination(byte[] frame) {
        return MacAddress.read(ByteBuffer.wrap(frame), 0);
    }

    private void peerSendsRequestTo(MacAddress dst, int sequence) throws LinkException {
        ByteBuffer b = ByteBuffer.allocate(60);
        dst.writeTo(b);
        PEER.writeTo(b);
        b.putShort((short) EtherType.ECP).putShort((short) ((1 << 12) | 1)).putShort((short) sequence).put((byte) 9);
        b.position(0);
        pair[1].send(b);
        clock.advance(Duration.ofMillis(1));
    }

    @Test
    void a_reply_goes_to_the_peers_own_mac_while_requests_keep_the_nearest_customer_bridge_address() throws Exception {
        EcpEngine e = engine(EcpConfig.DEFAULT);
        e.send(PEER, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {1}));
        e.reply(PEER, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {2}));
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).hasSize(1);
        assertThat(destination(seenByPeer.get(0))).isEqualTo(MacAddress.NEAREST_CUSTOMER_BRIDGE);
        pair[1].send(ackOf(seenByPeer.get(0)));
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).hasSize(2);
        assertThat(destination(seenByPeer.get(1))).as("the reply, queued behind the request").isEqualTo(PEER);
    }

    @Test
    void a_group_addressing_sends_requests_to_the_group_and_replies_still_to_the_peer() {
        EcpEngine e = engine(EcpConfig.DEFAULT.withAddressing(EcpAddressing.group(GROUP)));
        e.send(PEER, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {1}));
        clock.advance(Duration.ofMillis(1));
        assertThat(destination(seenByPeer.get(0))).isEqualTo(GROUP);
        assertThat(e.config().groups()).as("a group used for requests is also listened to").contains(GROUP);
    }

    @Test
    void the_engine_takes_ecpdus_to_its_own_mac_and_its_groups_and_ignores_and_counts_any_other_destination() throws Exception {
        EcpEngine e = engine(EcpConfig.DEFAULT.listeningTo(GROUP));
        peerSendsRequestTo(US, 1);
        peerSendsRequestTo(MacAddress.NEAREST_CUSTOMER_BRIDGE, 2);
        peerSendsRequestTo(GROUP, 3);
        peerSendsRequestTo(MacAddress.valueOf("ff:ff:ff:ff:ff:ff"), 4);
        peerSendsRequestTo(MacAddress.valueOf("03:00:00:00:ec:02"), 5);
        peerSendsRequestTo(MacAddress.valueOf("02:00:00:00:00:09"), 6);
        assertThat(delivered).hasSize(3);
        assertThat(e.misaddressed()).isEqualTo(3);
        assertThat(seenByPeer).as("only what was taken is acked").hasSize(3)
                .allSatisfy(ack -> assertThat(destination(ack)).as("acks go to the source").isEqualTo(PEER));
    }

    @Test
    void a_configured_group_must_be_a_group_and_not_a_reserved_address_other_than_the_nearest_customer_bridge() {
        assertThat(EcpAddressing.group(MacAddress.NEAREST_CUSTOMER_BRIDGE)).isEqualTo(EcpAddressing.nearestCustomerBridge());
        assertThat(EcpAddressing.group(GROUP).destination(PEER)).isEqualTo(GROUP);
        assertThatThrownBy(() -> EcpAddressing.group(MacAddress.valueOf("01:80:c2:00:00:0e"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> EcpAddressing.group(MacAddress.valueOf("01:80:c2:00:00:03"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcpAddressing.group(PEER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a group address");
        assertThatThrownBy(() -> EcpConfig.DEFAULT.listeningTo(PEER)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ByteBuffer ackOf(byte[] request) {
        ByteBuffer b = ByteBuffer.allocate(60);
        US.writeTo(b);
        PEER.writeTo(b);
        b.putShort((short) EtherType.ECP).putShort((short) ((1 << 12) | (1 << 10) | 1)).put(request[16]).put(request[17]);
        b.position(0);
        return b;
    }
}
