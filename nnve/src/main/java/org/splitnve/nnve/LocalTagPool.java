package org.splitnve.nnve;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Local tags (802.1Q VIDs) for VNs, in a configurable range (default 2..4094: never VID 1, the
 * default PVID, which lldpad also refuses). A VN has a first tag, which the null VID gets, and may
 * have more that stations ask for by VID (Req-7: several tags per VN); a VID belongs to one VN at a
 * time. A tag acquired several times (on several ports of a shared bridge domain, by several TSIs)
 * stays until released as often. Allocation is next-fit, so a tag just released is the last to be
 * handed out again and frames still in flight with it cannot land in another VN. Thread-safe.
 */
public final class LocalTagPool {

    public static final int DEFAULT_FIRST = 2;
    public static final int DEFAULT_LAST = FilterEntry.MAX_VID;

    private final int first;
    private final int last;
    private final BitSet used = new BitSet();
    private final Map<VnId, int[]> bound = new HashMap<>(); // vn -> {vid, references}
    private final Map<Integer, VnId> byVid = new HashMap<>();
    private final Map<Integer, int[]> extra = new HashMap<>(); // vid -> {references}, tags beyond a VN's first
    private int cursor;

    public LocalTagPool(int first, int last) {
        if (first < 1 || last > FilterEntry.MAX_VID || first > last) {
            throw new IllegalArgumentException("a tag range is within 1.." + FilterEntry.MAX_VID + ": " + first + ".." + last);
        }
        this.first = first;
        this.last = last;
        this.cursor = first;
    }

    public LocalTagPool() {
        this(DEFAULT_FIRST, DEFAULT_LAST);
    }

    /**
     * The tag of {@code vn}, binding one if it has none.
     *
     * @param requestedVid 0 to let the pool choose; else the VID the station asks for, which must
     *                     be the VN's tag if it has one, or a free VID of the range if not
     */
    public synchronized LocalTag acquire(VnId vn, int requestedVid) throws TagUnavailableException {
        int[] b = bound.get(vn);
        if (b != null) {
            if (requestedVid != FilterEntry.NULL_VID && requestedVid != b[0]) {
                throw new TagUnavailableException(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC,
                        "VID " + requestedVid + " asked for " + vn + ", whose tag is " + b[0]);
            }
            b[1]++;
            return LocalTag.of(b[0]);
        }
        int vid;
        if (requestedVid != FilterEntry.NULL_VID) {
            if (requestedVid < first || requestedVid > last) {
                throw new TagUnavailableException(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC,
                        "VID " + requestedVid + " is outside the tag range " + first + ".." + last);
            }
            int[] more = extra.get(requestedVid);
            if (more != null && vn.equals(byVid.get(requestedVid))) {
                // Already one of the VN's extra tags (another port of a shared domain): it becomes its first.
                extra.remove(requestedVid);
                bound.put(vn, new int[] {requestedVid, more[0] + 1});
                return LocalTag.of(requestedVid);
            }
            if (used.get(requestedVid)) {
                throw new TagUnavailableException(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC,
                        "VID " + requestedVid + " is the tag of " + byVid.get(requestedVid));
            }
            vid = requestedVid;
        } else {
            vid = used.nextClearBit(cursor);
            if (vid > last) {
                vid = used.nextClearBit(first);
            }
            if (vid > last) {
                throw new TagUnavailableException(VdpErrorCode.INSUFFICIENT_RESOURCES,
                        "all " + size() + " tags of " + first + ".." + last + " are in use");
            }
            cursor = vid == last ? first : vid + 1;
        }
        used.set(vid);
        bound.put(vn, new int[] {vid, 1});
        byVid.put(vid, vn);
        return LocalTag.of(vid);
    }

    /**
     * One more tag for {@code vn} (Req-7): {@code vid}, which must be in the range and free or already one of the VN's
     * own tags (then one more reference to it).
     */
    public synchronized LocalTag acquireExtra(VnId vn, int vid) throws TagUnavailableException {
        checkExtra(vn, vid);
        int[] b = extra.get(vid);
        if (b != null) {
            b[0]++;
            return LocalTag.of(vid);
        }
        int[] primary = bound.get(vn);
        if (primary != null && primary[0] == vid) {
            primary[1]++;
            return LocalTag.of(vid);
        }
        used.set(vid);
        byVid.put(vid, vn);
        extra.put(vid, new int[] {1});
        return LocalTag.of(vid);
    }

    /** Throws the error a station gets if {@link #acquireExtra} would refuse {@code vid} for {@code vn}. */
    public synchronized void checkExtra(VnId vn, int vid) throws TagUnavailableException {
        if (vid < first || vid > last) {
            throw new TagUnavailableException(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC,
                    "VID " + vid + " is outside the tag range " + first + ".." + last);
        }
        VnId owner = byVid.get(vid);
        if (owner != null && !owner.equals(vn)) {
            throw new TagUnavailableException(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " is the tag of " + owner);
        }
    }

    /** Drops one reference of a tag {@link #acquireExtra} gave {@code vn}; the last frees it. Returns true if it was freed. */
    public synchronized boolean releaseExtra(VnId vn, int vid) {
        int[] primary = bound.get(vn);
        if (primary != null && primary[0] == vid) {
            return release(vn);
        }
        int[] b = extra.get(vid);
        if (b == null || !vn.equals(byVid.get(vid))) {
            throw new IllegalStateException(vn + " holds no extra tag " + vid);
        }
        if (--b[0] > 0) {
            return false;
        }
        extra.remove(vid);
        byVid.remove(vid);
        used.clear(vid);
        return true;
    }

    /** Drops one reference of {@code vn}'s tag; the last frees it. Returns true if it was freed. */
    public synchronized boolean release(VnId vn) {
        int[] b = bound.get(vn);
        if (b == null) {
            throw new IllegalStateException(vn + " holds no tag");
        }
        if (--b[1] > 0) {
            return false;
        }
        bound.remove(vn);
        byVid.remove(b[0]);
        used.clear(b[0]);
        return true;
    }

    public synchronized Optional<LocalTag> tagOf(VnId vn) {
        int[] b = bound.get(vn);
        return b == null ? Optional.empty() : Optional.of(LocalTag.of(b[0]));
    }

    public synchronized Optional<VnId> vnOf(LocalTag tag) {
        return Optional.ofNullable(byVid.get(tag.vid()));
    }

    public synchronized boolean isFree(int vid) {
        return vid >= first && vid <= last && !used.get(vid);
    }

    /** Tags in the range. */
    public int size() {
        return last - first + 1;
    }

    /** Tags bound to a VN: first tags and extra ones. */
    public synchronized int inUse() {
        return bound.size() + extra.size();
    }

    public int first() {
        return first;
    }

    public int last() {
        return last;
    }

    @Override
    public synchronized String toString() {
        return "LocalTagPool[" + first + ".." + last + ", " + bound.size() + " in use]";
    }
}
