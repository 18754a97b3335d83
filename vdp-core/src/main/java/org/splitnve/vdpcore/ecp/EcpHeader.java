package org.splitnve.vdpcore.ecp;

import java.nio.ByteBuffer;

/**
 * Allocation-free access to the ECP header word, for the transport's receive path, which looks at
 * every frame before deciding whether to build an {@link Ecpdu} at all.
 */
public final class EcpHeader {

    private EcpHeader() {
    }

    public static int version(int word) {
        return word >>> 12;
    }

    public static int operation(int word) {
        return (word >>> 10) & 0x3;
    }

    public static int subtype(int word) {
        return word & 0x3FF;
    }

    public static int word(int version, int operation, int subtype) {
        return (version << 12) | (operation << 10) | subtype;
    }

    /** Writes the 4-octet header at the buffer's position and advances it. */
    public static void write(ByteBuffer out, int operation, int subtype, int sequence) {
        out.putShort((short) word(Ecpdu.VERSION, operation, subtype)).putShort((short) sequence);
    }
}
