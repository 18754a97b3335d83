package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.port.DataPort;

/**
 * The one way frames leave the data plane: a frame built in a buffer is sent on a trunk port or
 * the underlay port, counted as its event (or as {@link DropReason#SEND_FAILED} when the port
 * refuses it), and the buffer cleared for the next frame.
 */
final class Egress {

    private final DataPort[] trunks;
    private final DataPort underlay;
    private final long underlayMac;
    private final DataPlaneCounters counters;

    Egress(DataPort[] trunks, DataPort underlay, DataPlaneCounters counters) {
        this.trunks = trunks.clone();
        this.underlay = underlay;
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
     * Copies a frame to a trunk port with {@code vid}: retagging a tagged one, or pushing a tag
     * onto an untagged one (a decapsulated or held frame).
     */
    void retagged(Scratch scratch, ByteBuffer frame, int offset, int length, boolean tagged, int trunk, int vid, Event event) {
        ByteBuffer out = scratch.out;
        int outLength;
        if (tagged) {
            out.put(0, frame, offset, length);
            Ethernet.setVid(out, 0, vid);
            outLength = length;
        } else {
            outLength = Ethernet.pushTag(frame, offset, length, out, 0, vid);
        }
        toTrunk(trunk, out, outLength, event);
    }

    private void send(DataPort port, ByteBuffer frame, int length, Event event) {
        frame.limit(length).position(0);
        if (port.send(frame)) {
            counters.increment(event);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
        frame.clear();
    }

    /** Zero-pads a frame ending at {@code end} to the Ethernet minimum; returns its length. */
    static int pad(ByteBuffer frame, int end) {
        for (int i = end; i < Ethernet.MIN_FRAME; i++) {
            frame.put(i, (byte) 0);
        }
        return Math.max(end, Ethernet.MIN_FRAME);
    }
}
