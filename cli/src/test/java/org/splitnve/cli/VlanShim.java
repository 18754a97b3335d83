package org.splitnve.cli;

import java.nio.ByteBuffer;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * The hypervisor's virtual switch between one VM and the trunk toward the nNVE: frames from the
 * VM's (untagged) port leave on the trunk with the VN's local tag; frames arriving on the trunk
 * with that tag reach the VM untagged. This is the part of a Split-NVE hypervisor that the kernel
 * would do with a VLAN subinterface; the test machines' kernels have no 802.1Q module, so it is
 * done here with two pcap handles.
 */
final class VlanShim implements AutoCloseable {

    private final PcapLink access;
    private final PcapLink trunk;

    private VlanShim(PcapLink access, PcapLink trunk) {
        this.access = access;
        this.trunk = trunk;
    }

    static VlanShim start(NetworkNamespace ns, String accessIf, String trunkIf, int vid) throws Exception {
        PcapLink access = InNamespace.call(ns, () -> PcapLink.open(accessIf));
        // No BPF filter: Linux hands VLAN tags to libpcap out of band, and "ether proto 0x8100" would
        // not match them; libpcap puts the tag back into the frame, and the listener checks it.
        PcapLink trunk = InNamespace.call(ns, () -> PcapLink.open(trunkIf));
        access.addListener((f, t) -> {
            int p = f.position();
            int n = f.remaining();
            if (n < 14) {
                return;
            }
            ByteBuffer out = ByteBuffer.allocate(n + 4);
            for (int i = 0; i < 12; i++) {
                out.put(f.get(p + i));
            }
            out.putShort((short) EtherType.VLAN).putShort((short) vid);
            for (int i = 12; i < n; i++) {
                out.put(f.get(p + i));
            }
            send(trunk, out.flip());
        });
        trunk.addListener((f, t) -> {
            int p = f.position();
            int n = f.remaining();
            if (n < 18 || (f.getShort(p + 12) & 0xFFFF) != EtherType.VLAN || (f.getShort(p + 14) & 0x0FFF) != vid) {
                return;
            }
            ByteBuffer out = ByteBuffer.allocate(n - 4);
            for (int i = 0; i < 12; i++) {
                out.put(f.get(p + i));
            }
            for (int i = 16; i < n; i++) {
                out.put(f.get(p + i));
            }
            send(access, out.flip());
        });
        return new VlanShim(access, trunk);
    }

    private static void send(PcapLink link, ByteBuffer frame) {
        try {
            link.send(frame);
        } catch (LinkException e) {
            // the namespace is going away
        }
    }

    @Override
    public void close() {
        access.close();
        trunk.close();
    }
}
