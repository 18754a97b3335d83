package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.vdpcore.MacAddress;

/**
 * A data port on an ecp-transport {@link Link}: a NIC through pcap4j ({@link #openPcap}) or any
 * other link. A trunk port's link is usually shared with the VDP stack of that port, so LLDP and
 * ECP frames are left to it and not given to the data plane. Frames arrive on the link's receive
 * thread, which is the forwarding thread for them.
 */
public final class LinkDataPort implements DataPort {

    private static final Logger LOG = LoggerFactory.getLogger(LinkDataPort.class);

    private final Link link;
    private final boolean owned;
    private final Link.FrameListener listener = this::onFrame;
    private volatile Receiver receiver;
    private final AtomicLong sendFailures = new AtomicLong();

    /**
     * @param owned close the link when this port closes (false when the VDP stack shares it)
     */
    public LinkDataPort(Link link, boolean owned) {
        this.link = Objects.requireNonNull(link, "link");
        this.owned = owned;
        link.addListener(listener);
    }

    /** Opens a NIC with pcap4j (needs root and libpcap), with a data port's receive buffer, and owns it. */
    public static LinkDataPort openPcap(String ifname) throws LinkException {
        return new LinkDataPort(PcapLink.openWithBuffer(ifname, PcapLink.DATA_BUFFER_SIZE), true);
    }

    private void onFrame(ByteBuffer frame, long timestampNanos) {
        Receiver r = receiver;
        if (r == null || frame.remaining() < Ethernet.HEADER) {
            if (r != null) {
                r.onFrame(this, frame);
            }
            return;
        }
        if (EtherType.isControl(Ethernet.outerType(frame, frame.position()))) {
            return;
        }
        r.onFrame(this, frame);
    }

    @Override
    public String name() {
        return link.name();
    }

    @Override
    public MacAddress macAddress() {
        return link.macAddress();
    }

    @Override
    public boolean send(ByteBuffer frame) {
        try {
            link.send(frame);
            return true;
        } catch (LinkException e) {
            long n = sendFailures.incrementAndGet();
            if (n == 1 || n % 10_000 == 0) {
                LOG.warn("data port {}: send failed ({} so far): {}", link.name(), n, e.getMessage());
            }
            return false;
        }
    }

    @Override
    public void receiver(Receiver receiver) {
        this.receiver = receiver;
    }

    public Link link() {
        return link;
    }

    @Override
    public void close() {
        link.removeListener(listener);
        if (owned) {
            link.close();
        }
    }

    @Override
    public String toString() {
        return "LinkDataPort[" + link + "]";
    }
}
