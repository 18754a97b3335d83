package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.vdpcore.MacAddress;

/**
 * An in-memory Ethernet segment for an underlay of several NVEs: a unicast frame goes to the
 * port with that MAC (if any), a group-addressed one to every other port.
 */
public final class MemoryHub {

    private final Scheduler scheduler;
    private final List<MemoryDataPort> ports = new CopyOnWriteArrayList<>();

    /** @param scheduler where frames are delivered; {@code null}: synchronously on the sender's thread */
    public MemoryHub(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** A new port on the hub. */
    public MemoryDataPort attach(String name, MacAddress mac) {
        MemoryDataPort p = new MemoryDataPort(name, mac, scheduler);
        p.medium(new MemoryDataPort.Medium() {
            @Override
            public MemoryDataPort peerFor(ByteBuffer frame) {
                return null;
            }

            @Override
            public void deliver(MemoryDataPort from, ByteBuffer frame) {
                if (frame.remaining() < Ethernet.HEADER) {
                    return;
                }
                long dst = Ethernet.destination(frame, frame.position());
                for (MemoryDataPort to : ports) {
                    if (to == from) {
                        continue;
                    }
                    if (Ethernet.isGroup(dst) || to.macAddress().toLong() == dst) {
                        from.deliverTo(to, frame);
                    }
                }
            }
        });
        ports.add(p);
        return p;
    }
}
