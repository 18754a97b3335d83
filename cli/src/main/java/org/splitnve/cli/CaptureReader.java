package org.splitnve.cli;

import org.splitnve.ecptransport.link.Libpcap;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Reads a capture file through libpcap (pcap4j), so any pcap or pcapng file that libpcap reads is
 * accepted, and hands every frame over as raw bytes: the codecs decode them, pcap4j's packet
 * classes are never built. Ethernet captures pass as they are; Linux cooked captures (SLL and SLL2,
 * what {@code tcpdump -i any} writes) are turned into Ethernet frames with the sender's address as
 * source and an unknown destination.
 */
final class CaptureReader implements AutoCloseable {

    static final int DLT_EN10MB = 1;
    static final int DLT_LINUX_SLL = 113;
    static final int DLT_LINUX_SLL2 = 276;

    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int ETHERNET_HEADER = 14;

    /** Why a capture cannot be read at all. */
    static final class CaptureException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean beforeFirstFrame;

        CaptureException(String message, boolean beforeFirstFrame) {
            super(message, null, false, false);
            this.beforeFirstFrame = beforeFirstFrame;
        }

        /** True when the file could not be opened or is of a kind decode does not read. */
        boolean beforeFirstFrame() {
            return beforeFirstFrame;
        }
    }

    /** Receives frames in file order. */
    @FunctionalInterface
    interface FrameHandler {
        /** Returns false to stop reading. */
        boolean onFrame(CapturedFrame frame) throws Exception;
    }

    private final PcapHandle handle;
    private final int linktype;

    private CaptureReader(PcapHandle handle, int linktype) {
        this.handle = handle;
        this.linktype = linktype;
    }

    /**
     * Opens a capture file ({@code -} for standard input). libpcap must be loadable: see
     * {@link Libpcap}.
     */
    static CaptureReader open(String file) throws CaptureException {
        PcapHandle h;
        try {
            h = Pcaps.openOffline(file, PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new CaptureException("cannot read it as a pcap or pcapng capture (libpcap: " + libpcapMessage(e) + ")", true);
        }
        int dlt = h.getDlt().value();
        if (dlt != DLT_EN10MB && dlt != DLT_LINUX_SLL && dlt != DLT_LINUX_SLL2) {
            String name = linktypeName(dlt);
            h.close();
            throw new CaptureException("unsupported link-layer type " + dlt + (name == null ? "" : " (" + name + ")")
                    + "; decode reads Ethernet (1) and Linux cooked SLL (113) and SLL2 (276) captures", true);
        }
        return new CaptureReader(h, dlt);
    }

    private static String libpcapMessage(PcapNativeException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "no reason given" : m.strip();
    }

    private static String linktypeName(int dlt) {
        try {
            return Pcaps.dataLinkValToName(dlt) + ", " + Pcaps.dataLinkValToDescription(dlt);
        } catch (PcapNativeException | RuntimeException e) {
            return null;
        }
    }

    int linktype() {
        return linktype;
    }

    /**
     * Reads every frame, in order, until the end of the file or until the handler returns false.
     * A handler's exception stops reading and is rethrown as it is.
     *
     * @return the number of frames read
     * @throws CaptureException when libpcap fails mid-file (a truncated file, for instance)
     */
    long forEach(FrameHandler handler) throws Exception {
        Loop loop = new Loop(handler);
        try {
            handle.loop(-1, loop);
        } catch (InterruptedException e) {
            if (!loop.stopped) {
                Thread.currentThread().interrupt();
                throw new CaptureException("reading was interrupted after frame " + loop.count, false);
            }
        } catch (PcapNativeException e) {
            throw new CaptureException("read error after frame " + loop.count + " (libpcap: " + libpcapMessage(e) + ")", false);
        }
        if (loop.failure instanceof Error e) {
            throw e;
        }
        if (loop.failure != null) {
            throw (Exception) loop.failure;
        }
        return loop.count;
    }

    private final class Loop implements RawPacketListener {
        private final FrameHandler handler;
        long count;
        boolean stopped;
        Throwable failure;

        Loop(FrameHandler handler) {
            this.handler = handler;
        }

        @Override
        public void gotPacket(byte[] packet) {
            if (stopped) {
                return;
            }
            count++;
            // pcap4j sets these for the current packet just before it calls the listener.
            Timestamp ts = handle.getTimestamp();
            Integer orig = handle.getOriginalLength();
            long millis = ts.getTime();
            long second = Math.floorDiv(millis, 1000L);
            CapturedFrame frame = toEthernet(count, second, ts.getNanos(), packet, orig == null ? packet.length : orig);
            boolean go;
            try {
                go = handler.onFrame(frame);
            } catch (Exception | Error e) {
                // pcap4j would log and swallow it: keep it for the caller instead.
                failure = e;
                go = false;
            }
            if (!go) {
                stopped = true;
                try {
                    handle.breakLoop();
                } catch (NotOpenException e) {
                    // closed under us: the loop ends anyway
                }
            }
        }
    }

    private CapturedFrame toEthernet(long number, long second, int nanos, byte[] packet, int originalLength) {
        return switch (linktype) {
            case DLT_LINUX_SLL -> new CapturedFrame(number, second, nanos, packet.length, originalLength, fromSll(packet), false);
            case DLT_LINUX_SLL2 -> new CapturedFrame(number, second, nanos, packet.length, originalLength, fromSll2(packet), false);
            default -> new CapturedFrame(number, second, nanos, packet.length, originalLength, ByteBuffer.wrap(packet), true);
        };
    }

    /**
     * Rebuilds an Ethernet frame from a Linux cooked (SLL) header: packet type (2), ARPHRD type (2),
     * address length (2), address (8), protocol (2). The protocol field is the EtherType, the address
     * the sender's MAC when it has six octets; the destination is not recorded and stays zero.
     */
    static ByteBuffer fromSll(byte[] packet) {
        if (packet.length < SLL_HEADER) {
            return runt(packet);
        }
        int addressLength = ((packet[4] & 0xFF) << 8) | (packet[5] & 0xFF);
        return rebuild(packet, SLL_HEADER, 14, addressLength, 6);
    }

    /**
     * The same for SLL2: protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet
     * type (1), address length (1), address (8).
     */
    static ByteBuffer fromSll2(byte[] packet) {
        if (packet.length < SLL2_HEADER) {
            return runt(packet);
        }
        return rebuild(packet, SLL2_HEADER, 0, packet[11] & 0xFF, 12);
    }

    private static ByteBuffer rebuild(byte[] packet, int headerLength, int protocolAt, int addressLength, int addressAt) {
        int payload = packet.length - headerLength;
        byte[] eth = new byte[ETHERNET_HEADER + payload];
        if (addressLength == 6) {
            System.arraycopy(packet, addressAt, eth, 6, 6);
        }
        eth[12] = packet[protocolAt];
        eth[13] = packet[protocolAt + 1];
        System.arraycopy(packet, headerLength, eth, ETHERNET_HEADER, payload);
        return ByteBuffer.wrap(eth);
    }

    /** A cooked header too short to hold its fields: a frame too short to decode, reported as malformed. */
    private static ByteBuffer runt(byte[] packet) {
        return ByteBuffer.wrap(packet, 0, Math.min(packet.length, ETHERNET_HEADER - 1)).slice();
    }

    @Override
    public void close() {
        handle.close();
    }
}
