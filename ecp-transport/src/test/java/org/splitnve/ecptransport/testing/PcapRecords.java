package org.splitnve.ecptransport.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.splitnve.vdpcore.MacAddress;

/**
 * Reads classic pcap files (either byte order, microsecond or nanosecond timestamps), independently of the writer
 * under test, and picks ECP frames apart for assertions on captures of real peers.
 */
public final class PcapRecords {

    private PcapRecords() {
    }

    /** One frame of a capture. */
    public record Frame(long epochNanos, int originalLength, byte[] data) {

        public ByteBuffer buffer() {
            return ByteBuffer.wrap(data).asReadOnlyBuffer();
        }

        public MacAddress dst() {
            return MacAddress.valueOf(java.util.Arrays.copyOfRange(data, 0, 6));
        }

        public MacAddress src() {
            return MacAddress.valueOf(java.util.Arrays.copyOfRange(data, 6, 12));
        }

        public int etherType() {
            return ((data[12] & 0xFF) << 8) | (data[13] & 0xFF);
        }

        public boolean isEcp() {
            return data.length >= 18 && etherType() == 0x8940;
        }

        /** ECP operation: 0 request, 1 ack. */
        public int ecpOperation() {
            return ((data[14] & 0xFF) >> 2) & 0x3;
        }

        public boolean isEcpRequest() {
            return isEcp() && ecpOperation() == 0;
        }

        public boolean isEcpAck() {
            return isEcp() && ecpOperation() == 1;
        }

        public int ecpSubtype() {
            return ((data[14] & 0x03) << 8) | (data[15] & 0xFF);
        }

        public int ecpSequence() {
            return ((data[16] & 0xFF) << 8) | (data[17] & 0xFF);
        }

        /** The ECP payload of a request: everything after the 4-octet ECP header, padding included. */
        public ByteBuffer ecpPayload() {
            return ByteBuffer.wrap(data, 18, data.length - 18).slice().asReadOnlyBuffer();
        }
    }

    public static List<Frame> read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    public static List<Frame> read(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        boolean nanos;
        if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D) {
            nanos = magic == 0xA1B23C4D;
        } else {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
                throw new IllegalArgumentException("not a classic pcap file: magic " + Integer.toHexString(magic));
            }
            nanos = magic == 0xA1B23C4D;
        }
        int linktype = b.getInt(20);
        if (linktype != 1) {
            throw new IllegalArgumentException("not an Ethernet capture: link type " + linktype);
        }
        b.position(24);
        List<Frame> out = new ArrayList<>();
        while (b.remaining() >= 16) {
            long sec = b.getInt() & 0xFFFFFFFFL;
            long frac = b.getInt() & 0xFFFFFFFFL;
            int incl = b.getInt();
            int orig = b.getInt();
            if (incl > b.remaining()) {
                break; // a capture stopped in the middle of a record
            }
            byte[] data = new byte[incl];
            b.get(data);
            out.add(new Frame(sec * 1_000_000_000L + (nanos ? frac : frac * 1000), orig, data));
        }
        return out;
    }
}
