package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.port.TransmitSlots;

/**
 * The one way frames leave the data plane: a frame built in a buffer is sent on a trunk port or
 * the underlay port, counted as its event (or as {@link DropReason#SEND_FAILED} when the port
 * refuses it), and the buffer cleared for the next frame. A port that offers {@link TransmitSlots}
 * gets frames built in place in one of its slots ({@link #underlayOut}, {@link #retagged}), so the
 * frame is copied once, from where it was received to where it is sent.
 */
final class Egress {

    private final DataPort[] trunks;
    private final DataPort underlay;
    private final TransmitSlots[] trunkSlots;
    private final TransmitSlots underlaySlots;
    private final long underlayMac;
    private final DataPlaneCounters counters;

    Egress(DataPort[] trunks, DataPort underlay, DataPlaneCounters counters) {
        this.trunks = trunks.clone();
        this.underlay = underlay;
        this.trunkSlots = new TransmitSlots[trunks.length];
        for (int i = 0; i < trunks.length; i++) {
            trunkSlots[i] = trunks[i].transmitSlots();
        }
        this.underlaySlots = underlay.transmitSlots();
        this.underlayMac = underlay.macAddress().toLong();
        this.counters = counters;
    }

    /** The underlay port's MAC: the outer source of tunnel packets and of what the NVE itself sends. */
    long underlayMac() {
        return underlayMac;
    }

    String underlayName() {
        return underlay.name();
    }

    String trunkName(int trunk) {
        return trunks[trunk].name();
    }

    /** Sends the first {@code length} octets of {@code frame} on a trunk port. */
    void toTrunk(int trunk, ByteBuffer frame, int length, Event event) {
        send(trunks[trunk], frame, length, event);
    }

    /** Sends the first {@code length} octets of {@code frame} on the underlay port. */
    void toUnderlay(ByteBuffer frame, int length, Event event) {
        send(underlay, frame, length, event);
    }

    /**
     * Where to build a frame of up to {@code maxLength} octets for the underlay port: a transmit
     * slot of the port when it has one free, else {@code scratch.out}. Send it with
     * {@link #toUnderlay(Scratch, ByteBuffer, int, Event)}.
     */
    ByteBuffer underlayOut(Scratch scratch, int maxLength) {
        return claim(underlaySlots, scratch, maxLength);
    }

    /** Sends a frame built in {@link #underlayOut}'s buffer on the underlay port. */
    void toUnderlay(Scratch scratch, ByteBuffer frame, int length, Event event) {
        sendBuilt(underlay, scratch, frame, length, event);
    }

    /**
     * Copies a frame to a trunk port with {@code vid}: retagging a tagged one, or pushing a tag
     * onto an untagged one (a decapsulated or held frame).
     */
    void retagged(Scratch scratch, ByteBuffer frame, int offset, int length, boolean tagged, int trunk, int vid, Event event) {
        ByteBuffer out = claim(trunkSlots[trunk], scratch, length + Ethernet.TAG);
        int outLength;
        if (tagged) {
            out.put(0, frame, offset, length);
            Ethernet.setVid(out, 0, vid);
            outLength = length;
        } else {
            outLength = Ethernet.pushTag(frame, offset, length, out, 0, vid);
        }
        sendBuilt(trunks[trunk], scratch, out, outLength, event);
    }

    private static ByteBuffer claim(TransmitSlots slots, Scratch scratch, int maxLength) {
        if (slots != null && maxLength <= slots.capacity()) {
            int slot = slots.reserve();
            if (slot >= 0) {
                scratch.claim(slots, slot);
                return slots.slot(slot);
            }
        }
        return scratch.out;
    }

    private void sendBuilt(DataPort port, Scratch scratch, ByteBuffer frame, int length, Event event) {
        TransmitSlots slots = scratch.slots;
        if (slots == null) {
            send(port, frame, length, event);
            return;
        }
        int slot = scratch.slot;
        scratch.unclaim();
        count(slots.commit(slot, length), event);
    }

    private void send(DataPort port, ByteBuffer frame, int length, Event event) {
        frame.limit(length).position(0);
        count(port.send(frame), event);
        frame.clear();
    }

    private void count(boolean sent, Event event) {
        if (sent) {
            counters.increment(event);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
    }

    /** Zero-pads a frame ending at {@code end} to the Ethernet minimum; returns its length. */
    static int pad(ByteBuffer frame, int end) {
        for (int i = end; i < Ethernet.MIN_FRAME; i++) {
            frame.put(i, (byte) 0);
        }
        return Math.max(end, Ethernet.MIN_FRAME);
    }
}
