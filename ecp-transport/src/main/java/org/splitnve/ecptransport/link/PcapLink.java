package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.ring.InterfaceMtu;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * A link on a real NIC through libpcap (pcap4j): a dedicated receive thread running
 * {@code pcap_loop} with a raw listener, immediate mode so frames are not held in the kernel
 * buffer, inbound direction only (our own frames are not looped back), and a BPF filter for the
 * EtherTypes in use. Polling calls such as {@code getNextPacket} drop most frames at rate, so they
 * are not used. When the receive loop ends on its own (the interface was removed, libpcap failed)
 * the link is dead, and says so once to its {@link #onFailure failure listener}. libpcap goes on
 * waiting on an interface that went down, so a send that fails because the interface is down or gone
 * ends the link the same way: its owner reopens it when the interface is back. Needs root (or
 * CAP_NET_RAW) and libpcap.
 */
public final class PcapLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(PcapLink.class);

    /**
     * The most octets kept of a received frame: a full 1500-octet-MTU frame with two VLAN tags (1526) and room to
     * spare. In immediate mode libpcap's ring has fixed slots of about the snapshot length, so the snapshot length
     * decides how many frames the kernel can hold while the receive thread is busy: with 64 KiB slots a 4 MiB buffer
     * held only 64 frames, and a burst of 200 back-to-back frames on a veth pair lost two thirds of them.
     */
    public static final int SNAPLEN = 2048;

    /**
     * Kernel buffer of a control link's receive handle: 1,024 frames at {@link #SNAPLEN}, since libpcap's ring in
     * immediate mode gives each snapshot of up to 2048 octets a 4 KiB frame. Plenty for ECP and LLDP.
     */
    public static final int BUFFER_SIZE = 4 << 20;

    /**
     * Kernel buffer of a data port's receive handle: 8,192 frames at {@link #SNAPLEN}. A forwarder sees bursts: with
     * 4 MiB, 25,000 frames/s from trafgen lost 22 % in the kernel while the receive thread sat idle between them, and
     * 64-octet frames at 200,000/s were all taken with 64 MiB. The memory is the kernel's, mapped once per port.
     */
    public static final int DATA_BUFFER_SIZE = 32 << 20;
    /** Room beyond the MTU in a snapshot: the Ethernet header, two VLAN tags and some to spare. */
    private static final int SNAP_HEADROOM = 64;

    private final String name;
    private final MacAddress mac;
    private final int mtu;
    private final PcapHandle rx;
    private final PcapHandle tx;
    private final Thread thread;
    private final FrameListeners listeners = new FrameListeners();
    private final byte[] txBuffer = new byte[65_536];
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private final AtomicLong received = new AtomicLong();
    /** For listener error logs, built once rather than per frame. */
    private final String label;
    private final AtomicLong sent = new AtomicLong();
    private volatile FailureListener failureListener = (link, e) -> { };
    private volatile boolean failed;

    private PcapLink(String name, MacAddress mac, int mtu, PcapHandle rx, PcapHandle tx) {
        this.name = name;
        this.mac = mac;
        this.mtu = mtu;
        this.rx = rx;
        this.tx = tx;
        this.label = "pcap " + name;
        this.thread = new Thread(this::loop, "pcap-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code ifname} and starts receiving the given EtherTypes (all frames when none).
     *
     * @throws LinkException when libpcap is missing, the interface does not exist, or it cannot be
     *                       opened (usually: not root)
     */
    public static PcapLink open(String ifname, int... etherTypes) throws LinkException {
        return openWithBuffer(ifname, BUFFER_SIZE, etherTypes);
    }

    /**
     * Opens {@code ifname} as {@link #open} does, with a receive buffer of {@code bufferBytes} for snapshots of
     * {@link #SNAPLEN} (it grows in proportion for a jumbo MTU): {@link #DATA_BUFFER_SIZE} for a data port.
     *
     * @throws LinkException as {@link #open}
     */
    public static PcapLink openWithBuffer(String ifname, int bufferBytes, int... etherTypes) throws LinkException {
        if (bufferBytes < SNAPLEN) {
            throw new IllegalArgumentException("a receive buffer of " + bufferBytes + " octets holds no frame");
        }
        Libpcap.require();
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(ifname);
            if (nif == null) {
                throw new LinkException("no network interface named " + ifname);
            }
            MacAddress mac = nif.getLinkLayerAddresses().stream()
                    .filter(a -> a instanceof org.pcap4j.util.MacAddress)
                    .map(LinkLayerAddress::getAddress)
                    .filter(b -> b.length == 6)
                    .map(MacAddress::valueOf)
                    .findFirst()
                    .orElseThrow(() -> new LinkException(ifname + " has no Ethernet address"));
            // Frames of a jumbo MTU must arrive whole; the buffer grows with the snapshot so it holds as many of them.
            int mtu = InterfaceMtu.of(ifname, STANDARD_MTU);
            int snaplen = Math.max(SNAPLEN, Math.min(mtu, Vdpdu.MAX_MTU) + SNAP_HEADROOM);
            PcapHandle rx = new PcapHandle.Builder(ifname)
                    .snaplen(snaplen)
                    // Group addresses such as 01-80-C2-00-00-00 reach us only in promiscuous mode
                    // unless we join them; promiscuous is what lldpad's raw socket amounts to.
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                    .immediateMode(true)
                    .timeoutMillis(100)
                    .bufferSize((int) Math.min(Integer.MAX_VALUE, (long) bufferBytes / SNAPLEN * snaplen))
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
            if (etherTypes.length > 0) {
                String filter = IntStream.of(etherTypes).mapToObj(t -> String.format("ether proto 0x%04x", t))
                        .collect(Collectors.joining(" or "));
                rx.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            // A second handle for sending, so a send never waits for the receive loop's lock.
            PcapHandle tx = new PcapHandle.Builder(ifname).snaplen(64).immediateMode(true).timeoutMillis(100).build();
            // Nobody reads the send handle: without a filter the kernel would copy every frame into its ring
            // for nothing. "less 1" (length <= 1) matches no Ethernet frame.
            tx.setFilter("less 1", BpfProgram.BpfCompileMode.OPTIMIZE);
            PcapLink link = new PcapLink(ifname, mac, mtu, rx, tx);
            link.thread.start();
            LOG.info("pcap {}: opened, MAC {}, MTU {}, libpcap {}, filter {}", ifname, mac, mtu, Libpcap.system().check().version(),
                    etherTypes.length == 0 ? "none" : IntStream.of(etherTypes).mapToObj(t -> String.format("0x%04x", t)).toList());
            return link;
        } catch (PcapNativeException | NotOpenException e) {
            throw new LinkException("cannot open " + ifname + ": " + e.getMessage() + " (live capture needs root)", e);
        }
    }

    private void loop() {
        String why = closed ? "closed" : "the receive loop returned";
        try {
            rx.loop(-1, (byte[] packet) -> {
                received.incrementAndGet();
                long ts = timestampNanos();
                ByteBuffer frame = ByteBuffer.wrap(packet).asReadOnlyBuffer();
                listeners.deliver(label, frame, ts);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "the receive thread was interrupted";
        } catch (PcapNativeException | NotOpenException e) {
            why = e.getMessage();
        } finally {
            stopped.countDown();
        }
        if (!closed) {
            fail(new LinkException("pcap " + name + ": receive loop ended: " + why));
        }
    }

    /** The link is dead: it stops receiving and tells its owner, once. */
    private void fail(LinkException cause) {
        synchronized (stopped) {
            if (failed) {
                return;
            }
            failed = true;
        }
        LOG.error("{}; the link is dead", cause.getMessage());
        try {
            rx.breakLoop();
        } catch (NotOpenException e) {
            // the loop has ended already
        }
        try {
            failureListener.onFailure(name, cause);
        } catch (RuntimeException e) {
            LOG.error("pcap {}: failure listener failed", name, e);
        }
    }

    /** What libpcap says when a send fails because the interface is down or gone (ENETDOWN, ENXIO, ENODEV). */
    private static boolean interfaceGone(String message) {
        return message != null && (message.contains("Network is down") || message.contains("No such device"));
    }

    @Override
    public void onFailure(FailureListener listener) {
        this.failureListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Whether the receive loop ended on its own: the link is dead. */
    public boolean failed() {
        return failed;
    }

    private long timestampNanos() {
        Timestamp t = rx.getTimestamp();
        if (t == null) {
            // Same clock as the capture timestamps: nanoseconds since the epoch, not System.nanoTime().
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        return Math.floorDiv(t.getTime(), 1000) * 1_000_000_000L + t.getNanos();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void send(ByteBuffer frame) throws LinkException {
        if (closed || failed) {
            throw new LinkException(name + (closed ? " is closed" : " is down"));
        }
        int n = frame.remaining();
        String error;
        synchronized (txBuffer) {
            frame.duplicate().get(txBuffer, 0, n);
            try {
                tx.sendPacket(txBuffer, n);
                error = null;
            } catch (PcapNativeException | NotOpenException e) {
                error = e.getMessage();
            }
        }
        if (error == null) {
            sent.incrementAndGet();
            return;
        }
        // Outside the send lock: the owner told of the failure may close the link, which waits for the receive thread.
        if (interfaceGone(error) && !closed) {
            fail(new LinkException("pcap " + name + ": the interface is down or gone (" + error + ")"));
        }
        throw new LinkException("send on " + name + " failed: " + error);
    }


    @Override
    public void addListener(FrameListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(FrameListener listener) {
        listeners.remove(listener);
    }

    public long received() {
        return received.get();
    }

    public long sent() {
        return sent.get();
    }

    /** Frames the kernel dropped for this handle (buffer full), as libpcap reports it, or -1. */
    public long kernelDrops() {
        try {
            PcapStat s = rx.getStats();
            return s.getNumPacketsDropped() + s.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rx.breakLoop();
        } catch (NotOpenException e) {
            // already closed: nothing to stop
        }
        try {
            // pcap_breakloop takes effect when the next packet or timeout wakes the loop.
            if (!stopped.await(2, TimeUnit.SECONDS)) {
                LOG.warn("pcap {}: receive thread did not stop in 2 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rx.close();
        tx.close();
        LOG.info("pcap {}: closed after {} frames in, {} out", name, received.get(), sent.get());
    }

    @Override
    public String toString() {
        return "PcapLink[" + name + " " + mac + "]";
    }
}
