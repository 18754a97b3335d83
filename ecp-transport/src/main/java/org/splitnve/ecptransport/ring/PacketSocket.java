package org.splitnve.ecptransport.ring;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.vdpcore.MacAddress;

/**
 * One {@code AF_PACKET} socket bound to one interface, with a {@code TPACKET_V3} receive ring and, when asked for,
 * a transmit ring, both mapped into this process. It sees every frame of the interface, not the ones it sends
 * itself ({@code PACKET_IGNORE_OUTGOING}); VLAN tags are put back into received frames ({@link RxRing}).
 *
 * <p>Open it from a thread inside the interface's network namespace: the socket belongs to the namespace it was
 * created in, and threads that thread starts (its {@link RingReceiver}) are in it too. Needs root or CAP_NET_RAW.
 *
 * <p>Sending: {@link #reserve} a slot, write the frame into {@link #slot}, {@link #commit} it. A commit made on a
 * {@link RingReceiver}'s thread while it hands over a block is sent when the block is done, together with every
 * other (one {@code sendto} per block); any other commit is sent at once.
 */
public final class PacketSocket implements AutoCloseable {

    private static final int ETH_P_8021Q = 0x8100;

    private static final Logger LOG = LoggerFactory.getLogger(PacketSocket.class);
    /** How long a sender waits for a transmit slot when the ring is full before giving up on the frame. */
    private static final int SLOT_WAIT_MILLIS = 20;
    private static final int RX_FRAME = 2048;

    private final String name;
    private final int fd;
    private final int ifindex;
    private final MacAddress mac;
    private final int mtu;
    private final int maxFrame;
    /** The longest frame without an 802.1Q tag the kernel sends: the MTU plus the Ethernet header. */
    private final int maxUntagged;
    private final RingConfig config;
    private final Pointer map;
    private final long mapSize;
    private final RxRing rx;
    private final TxRing tx;
    private final Memory pollRx = new Memory(8);
    private final Memory pollTx = new Memory(8);
    private final Memory intOption = new Memory(4);
    private final Memory optionLength = new Memory(4);
    private final Memory statsOption = new Memory(Tpacket.STATS_V3_SIZE);
    private final Memory statsLength = new Memory(4);
    private volatile boolean closed;
    private volatile boolean closeDeferred;
    private long kernelPackets;
    private long kernelDrops;
    private long sendErrors;

    private PacketSocket(String name, int fd, int ifindex, MacAddress mac, int mtu, RingConfig config, Pointer map, long mapSize) {
        this.name = name;
        this.fd = fd;
        this.ifindex = ifindex;
        this.mac = mac;
        this.mtu = mtu;
        // The kernel takes a frame of the MTU plus an Ethernet header and one 802.1Q tag at most from a ring.
        this.maxFrame = config.txFrames() == 0 ? 0 : Math.min(config.maxTxFrame(), mtu + 14 + Tpacket.VLAN_TAG);
        this.maxUntagged = Math.min(maxFrame, mtu + 14);
        this.config = config;
        this.map = map;
        this.mapSize = mapSize;
        ByteBuffer whole = map.getByteBuffer(0, mapSize);
        this.rx = new RxRing(whole.duplicate().position(0).limit((int) config.rxBytes()).slice(), config.blockSize(), config.blockCount());
        this.tx = config.txFrames() == 0 ? null
                : new TxRing(whole.duplicate().position((int) config.rxBytes()).limit((int) mapSize).slice(), config.txFrameSize(),
                        config.txSlots());
        pollRx.setInt(0, fd);
        pollRx.setShort(4, (short) (Libc.POLLIN | Libc.POLLERR));
        pollTx.setInt(0, fd);
        pollTx.setShort(4, (short) (Libc.POLLOUT | Libc.POLLERR));
    }

    /** Why rings cannot be used in this process (not Linux, another architecture, no libc), or null. */
    public static String unsupported() {
        return Libc.UNSUPPORTED;
    }

    /**
     * Opens a socket on {@code ifname} with {@code config}'s rings, in promiscuous mode.
     *
     * @throws LinkException when rings are not supported here, the interface does not exist, or the kernel refuses
     *                       (usually: not root, or a kernel without TPACKET_V3 transmit rings)
     */
    public static PacketSocket open(String ifname, RingConfig config) throws LinkException {
        if (Libc.UNSUPPORTED != null) {
            throw new LinkException(Libc.UNSUPPORTED);
        }
        int ifindex = Libc.if_nametoindex(ifname);
        if (ifindex == 0) {
            throw new LinkException("no network interface named " + ifname);
        }
        int fd;
        try {
            // Protocol 0 receives nothing until bind, so no frame lands outside the ring while it is set up.
            fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw new LinkException("cannot open a packet socket on " + ifname + ": " + errno(e) + " (needs root or CAP_NET_RAW)", e);
        }
        String step = "TPACKET_V3";
        Pointer map = null;
        long mapSize = config.rxBytes() + config.txBytes();
        try (Memory m = new Memory(Tpacket.IFREQ_SIZE)) {
            setInt(fd, Tpacket.PACKET_VERSION, Tpacket.TPACKET_V3);
            // PACKET_LOSS and PACKET_RESERVE must come before the rings: the kernel refuses them once a ring exists.
            step = "PACKET_LOSS";
            setInt(fd, Tpacket.PACKET_LOSS, 1);
            step = "PACKET_RESERVE";
            setInt(fd, Tpacket.PACKET_RESERVE, Tpacket.VLAN_TAG);
            step = "PACKET_RX_RING";
            // A receive ring of TPACKET_V3 holds frames of any size; the kernel checks only that frames tile blocks.
            setRing(fd, Tpacket.PACKET_RX_RING, config.blockSize(), config.blockCount(), RX_FRAME, config.retireMillis());
            if (config.txFrames() > 0) {
                step = "PACKET_TX_RING";
                setRing(fd, Tpacket.PACKET_TX_RING, config.blockSize(), config.txBlocks(), config.txFrameSize(), 0);
                if (config.qdiscBypass()) {
                    step = "PACKET_QDISC_BYPASS";
                    setInt(fd, Tpacket.PACKET_QDISC_BYPASS, 1);
                }
            }
            step = "PACKET_IGNORE_OUTGOING";
            setInt(fd, Tpacket.PACKET_IGNORE_OUTGOING, 1);
            step = "mmap";
            map = Libc.mmap(null, mapSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (Pointer.nativeValue(map) == Libc.MAP_FAILED) {
                throw new LastErrorException(12);
            }
            step = "bind";
            m.clear();
            m.setShort(0, (short) Libc.AF_PACKET);
            m.setShort(2, Short.reverseBytes((short) Tpacket.ETH_P_ALL));
            m.setInt(4, ifindex);
            Libc.bind(fd, m, Tpacket.SOCKADDR_LL_SIZE);
            step = "PACKET_ADD_MEMBERSHIP";
            m.clear();
            m.setInt(0, ifindex);
            m.setShort(4, (short) Tpacket.PACKET_MR_PROMISC);
            Libc.setsockopt(fd, Libc.SOL_PACKET, Tpacket.PACKET_ADD_MEMBERSHIP, m, Tpacket.MREQ_SIZE);
            if (config.fanoutGroup() >= 0) {
                step = "PACKET_FANOUT";
                setInt(fd, Tpacket.PACKET_FANOUT,
                        config.fanoutGroup() | (Tpacket.PACKET_FANOUT_HASH | Tpacket.PACKET_FANOUT_FLAG_DEFRAG) << 16);
            }
            step = "SIOCGIFHWADDR";
            m.clear();
            byte[] n = ifname.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            m.write(0, n, 0, Math.min(n.length, 15));
            Libc.ioctl(fd, Libc.SIOCGIFHWADDR, m);
            MacAddress mac = MacAddress.valueOf(m.getByteArray(Tpacket.IFREQ_HWADDR, 6));
            step = "SIOCGIFMTU";
            Libc.ioctl(fd, Libc.SIOCGIFMTU, m);
            int mtu = m.getInt(Tpacket.IFREQ_MTU);
            PacketSocket s = new PacketSocket(ifname, fd, ifindex, mac, mtu, config, map, mapSize);
            LOG.info("ring {}: opened, ifindex {}, MAC {}, MTU {}, receive {} x {} KiB, transmit {} x {} octets{}{}", ifname, ifindex, mac, mtu,
                    config.blockCount(), config.blockSize() >> 10, config.txFrames(), config.txFrameSize(),
                    config.qdiscBypass() && config.txFrames() > 0 ? ", qdisc bypass" : "",
                    config.fanoutGroup() >= 0 ? ", fanout group " + config.fanoutGroup() : "");
            return s;
        } catch (LastErrorException e) {
            if (map != null && Pointer.nativeValue(map) != Libc.MAP_FAILED) {
                unmap(map, mapSize);
            }
            closeQuietly(fd);
            throw new LinkException("cannot set up packet rings on " + ifname + " (" + step + "): " + errno(e), e);
        }
    }

    private static void setRing(int fd, int option, int blockSize, int blocks, int frameSize, int retireMillis) {
        try (Memory req = new Memory(Tpacket.REQ3_SIZE)) {
            req.clear();
            req.setInt(0, blockSize);
            req.setInt(4, blocks);
            req.setInt(8, frameSize);
            req.setInt(12, blockSize / frameSize * blocks);
            req.setInt(16, retireMillis);
            Libc.setsockopt(fd, Libc.SOL_PACKET, option, req, Tpacket.REQ3_SIZE);
        }
    }

    private static void setInt(int fd, int option, int value) {
        try (Memory v = new Memory(4)) {
            v.setInt(0, value);
            Libc.setsockopt(fd, Libc.SOL_PACKET, option, v, 4);
        }
    }

    public String name() {
        return name;
    }

    public MacAddress macAddress() {
        return mac;
    }

    /** The interface's MTU when the socket opened. */
    public int mtu() {
        return mtu;
    }

    public RingConfig config() {
        return config;
    }

    RxRing rx() {
        return rx;
    }

    /** Whether the socket has a transmit ring. */
    public boolean canSend() {
        return tx != null;
    }

    /**
     * The longest frame this socket sends: what a transmit slot holds, and at most the interface's MTU (when the
     * socket opened) plus an Ethernet header and an 802.1Q tag, as the kernel accepts from a ring.
     */
    public int maxTxFrame() {
        return maxFrame;
    }

    /**
     * Whether the kernel sends a frame of {@code length} octets whose header starts at {@code offset} of {@code frame}:
     * at most the MTU plus the Ethernet header, or one 802.1Q tag more when it carries one (EtherType 0x8100 at octet
     * 12). A longer frame committed to the ring is dropped by the kernel without a word (PACKET_LOSS), so a sender
     * must ask first.
     */
    public boolean fits(ByteBuffer frame, int offset, int length) {
        return length <= maxUntagged
                || length <= maxFrame && length >= 14 && Short.toUnsignedInt(frame.getShort(offset + 12)) == ETH_P_8021Q;
    }

    /**
     * Waits up to {@code millis} for the receive ring to have a block, or for an error.
     *
     * @return poll's revents (0 on timeout)
     */
    int awaitReceive(int millis) {
        return await(pollRx, millis);
    }

    private int await(Memory pollfd, int millis) {
        pollfd.setShort(6, (short) 0);
        try {
            int n = Libc.poll(pollfd, 1, millis);
            return n <= 0 ? 0 : pollfd.getShort(6);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.EINTR) {
                return 0;
            }
            return Libc.POLLERR;
        }
    }

    /** The socket's pending error (cleared by reading it), or 0. */
    int takeError() {
        synchronized (optionLength) {
            try {
                optionLength.setInt(0, 4);
                intOption.setInt(0, 0);
                Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, intOption, optionLength);
                return intOption.getInt(0);
            } catch (LastErrorException e) {
                return e.getErrorCode();
            }
        }
    }

    /** Whether the interface this socket was bound to still exists (by name and index) in its namespace. */
    boolean interfacePresent() {
        return Libc.if_nametoindex(name) == ifindex;
    }

    /**
     * Reserves a transmit slot, waiting a little for the kernel when the ring is full.
     *
     * @return the slot, or -1 when none became free or the socket is closed
     */
    public int reserve() {
        int slot = tryReserve();
        if (slot >= 0 || tx == null) {
            return slot;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SLOT_WAIT_MILLIS);
        do {
            flushQuietly();
            slot = tryReserve();
            if (slot >= 0) {
                return slot;
            }
            await(pollTx, 1);
        } while (!closed && System.nanoTime() < deadline);
        return tryReserve();
    }

    /** Reserves a transmit slot if one is free now (after one {@code sendto} of what is pending); -1 otherwise. */
    public int tryReserve() {
        if (tx == null || closed) {
            return -1;
        }
        int slot = tx.reserve();
        if (slot < 0) {
            flushQuietly();
            slot = tx.reserve();
        }
        return slot;
    }

    /** The buffer of a reserved slot: write the frame from index 0, at most {@link #maxTxFrame()} octets. */
    public ByteBuffer slot(int index) {
        return tx.slot(index);
    }

    /**
     * Commits a reserved slot's first {@code length} octets (0: gives it up unsent) and sends it now, or at the end of
     * the block when called on a receive thread.
     *
     * @throws LinkException when sending now failed (the interface is gone or down)
     */
    public void commit(int slot, int length) throws LinkException {
        tx.commit(slot, length);
        if (length > 0 && !RingReceiver.deferFlush(this)) {
            flush();
        }
    }

    /** Has the kernel send every committed slot ({@code sendto} without waiting). */
    public void flush() throws LinkException {
        if (closed) {
            throw new LinkException(name + " is closed");
        }
        try {
            Libc.sendto(fd, null, 0, Libc.MSG_DONTWAIT, null, 0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno != Libc.EAGAIN && errno != Libc.ENOBUFS && errno != Libc.EINTR) {
                throw new LinkException("send on " + name + " failed: " + errno(e), e);
            }
        }
    }

    /** {@link #flush()}, counting and logging a failure instead of throwing (the end of a block). */
    void flushQuietly() {
        try {
            flush();
        } catch (LinkException e) {
            long n;
            synchronized (this) {
                n = ++sendErrors;
            }
            if (n == 1 || n % 10_000 == 0) {
                LOG.warn("ring {}: {} ({} so far)", name, e.getMessage(), n);
            }
        }
    }

    /** What the kernel counted for this socket since it opened: frames received, and dropped because the ring was full. */
    public synchronized Stats stats() {
        if (!closed) {
            try {
                statsLength.setInt(0, Tpacket.STATS_V3_SIZE);
                Libc.getsockopt(fd, Libc.SOL_PACKET, Tpacket.PACKET_STATISTICS, statsOption, statsLength);
                // The kernel resets its counters on every read.
                kernelPackets += Integer.toUnsignedLong(statsOption.getInt(0));
                kernelDrops += Integer.toUnsignedLong(statsOption.getInt(4));
            } catch (LastErrorException e) {
                LOG.debug("ring {}: PACKET_STATISTICS failed: {}", name, errno(e));
            }
        }
        return new Stats(kernelPackets, kernelDrops, rx.received(), rx.vlanRestored(), rx.skipped(),
                tx == null ? 0 : tx.committed(), sendErrors);
    }

    /**
     * A socket's counters.
     *
     * @param kernelPackets frames the kernel offered the socket (the dropped ones included)
     * @param kernelDrops   frames the kernel dropped because the receive ring was full
     * @param received      frames handed to the receiver
     * @param vlanRestored  of those, frames whose tag was put back from metadata
     * @param skipped       frames not handed over (our own, truncated, nonsensical headers)
     * @param sent          frames committed for sending
     * @param sendErrors    {@code sendto} calls that failed
     */
    public record Stats(long kernelPackets, long kernelDrops, long received, long vlanRestored, long skipped, long sent,
                        long sendErrors) {
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether a close was asked for on the receive thread, to be done when its loop ends. */
    boolean closeDeferred() {
        return closeDeferred;
    }

    /**
     * Closes the socket and unmaps its rings. The receive thread must have stopped already (its {@link RingReceiver}
     * closes it first); senders get no more slots, and the memory stays mapped while one still holds a slot.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (RingReceiver.receivingOn(this)) {
            // On our own receive thread (a handler closing its port): it closes the socket when its loop ends.
            closeDeferred = true;
            return;
        }
        Stats last = stats();
        closed = true;
        boolean idle = tx == null || tx.shutDown(1000);
        closeQuietly(fd);
        if (idle) {
            unmap(map, mapSize);
        } else {
            LOG.error("ring {}: a transmit slot is still reserved after 1 s; its memory stays mapped", name);
        }
        LOG.info("ring {}: closed; {}", name, last);
    }

    private static void unmap(Pointer map, long size) {
        try {
            Libc.munmap(map, size);
        } catch (LastErrorException e) {
            LOG.warn("munmap failed: {}", errno(e));
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            LOG.debug("close failed: {}", errno(e));
        }
    }

    /** errno as its name in words, with the number. */
    static String errno(LastErrorException e) {
        int n = e.getErrorCode();
        String text;
        try {
            text = Libc.strerror(n);
        } catch (RuntimeException | LinkageError ex) {
            text = null;
        }
        return (text == null ? "error" : text) + " (errno " + n + ")";
    }

    @Override
    public String toString() {
        return "PacketSocket[" + name + " " + mac + "]";
    }
}
