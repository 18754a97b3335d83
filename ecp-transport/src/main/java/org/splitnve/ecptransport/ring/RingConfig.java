package org.splitnve.ecptransport.ring;

/**
 * The shape of a packet socket's rings. The receive ring is {@code blockCount} blocks of {@code blockSize} octets
 * (a power of two, at least a page), each handed to us when full or after {@code retireMillis}; the transmit ring is
 * {@code txFrames} slots of {@code txFrameSize} octets, the longest frame it sends being {@code txFrameSize - 48}
 * ({@code txFrames} 0: no transmit ring). {@code qdiscBypass} sends straight to the driver, past the traffic
 * control layer ({@code PACKET_QDISC_BYPASS}); {@code fanoutGroup} (0 to 65535, or -1 for none) joins sockets of
 * one interface so that the kernel spreads frames over them by flow ({@code PACKET_FANOUT}), one receive thread
 * each.
 */
public record RingConfig(int blockSize, int blockCount, int retireMillis, int txFrameSize, int txFrames, boolean qdiscBypass,
                         int fanoutGroup) {

    private static final int PAGE = 4096;

    /**
     * 8 MiB to receive in 128 blocks, each handed over when full or by the kernel's 1 ms retire timer; 1024
     * slots of 2 KiB to send. Many small blocks rather than a few large ones: at a modest rate each block leaves
     * after 1 ms with few frames in it, so the count of blocks is how long the receive thread may be kept off a core
     * (128 ms here) before the kernel drops frames, while at a high rate the 8 MiB hold some 50,000 short frames.
     */
    public static final RingConfig DEFAULT = new RingConfig(64 << 10, 128, 1, 2048, 1024, true, -1);

    public RingConfig {
        if (blockSize < PAGE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least " + PAGE + ": " + blockSize);
        }
        if (blockCount < 1 || (long) blockSize * blockCount > 1L << 30) {
            throw new IllegalArgumentException("block count out of range: " + blockCount);
        }
        if (retireMillis < 1 || retireMillis > 1000) {
            throw new IllegalArgumentException("block retire timeout out of range: " + retireMillis + " ms");
        }
        if (txFrames < 0 || (txFrames > 0 && (txFrameSize < 256 || Integer.bitCount(txFrameSize) != 1 || txFrameSize > blockSize))) {
            throw new IllegalArgumentException("transmit slots must be a power of two between 256 octets and the block size: " + txFrameSize);
        }
        if (fanoutGroup < -1 || fanoutGroup > 0xFFFF) {
            throw new IllegalArgumentException("fanout group out of range: " + fanoutGroup);
        }
    }

    /** The same rings without a transmit ring (the extra receive sockets of a fanout group). */
    public RingConfig receiveOnly() {
        return new RingConfig(blockSize, blockCount, retireMillis, txFrameSize, 0, qdiscBypass, fanoutGroup);
    }

    /** The same rings in fanout group {@code group}. */
    public RingConfig fanout(int group) {
        return new RingConfig(blockSize, blockCount, retireMillis, txFrameSize, txFrames, qdiscBypass, group);
    }

    /** The longest frame the transmit ring sends. */
    public int maxTxFrame() {
        return txFrameSize - Tpacket.TX_DATA;
    }

    long rxBytes() {
        return (long) blockSize * blockCount;
    }

    /** Blocks of the transmit ring: {@code txFrames} slots, rounded up to whole blocks. */
    int txBlocks() {
        int perBlock = blockSize / txFrameSize;
        return (txFrames + perBlock - 1) / perBlock;
    }

    /** Slots of the transmit ring: {@code txFrames} rounded up to fill its blocks. */
    int txSlots() {
        return txBlocks() * (blockSize / txFrameSize);
    }

    long txBytes() {
        return (long) txBlocks() * blockSize;
    }
}
