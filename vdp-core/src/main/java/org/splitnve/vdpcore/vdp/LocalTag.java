package org.splitnve.vdpcore.vdp;

/**
 * The locally significant tag of a VN on one port (RFC 8394 Req-7): an 802.1Q VID the bridge
 * assigns in answer to a null VID, 1..4094. lldpad accepts 2..4094 only, since VID 1 is the
 * default PVID on most bridges; allocation pools avoid it by default.
 */
public record LocalTag(int vid) implements Comparable<LocalTag> {

    public LocalTag {
        if (vid < 1 || vid > FilterEntry.MAX_VID) {
            throw new IllegalArgumentException("a local tag is a VID 1.." + FilterEntry.MAX_VID + ": " + vid);
        }
    }

    public static LocalTag of(int vid) {
        return new LocalTag(vid);
    }

    @Override
    public int compareTo(LocalTag o) {
        return Integer.compare(vid, o.vid);
    }

    @Override
    public String toString() {
        return "tag " + vid;
    }
}
