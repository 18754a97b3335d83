package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The VAPs of one port (RFC 8394 Figure 5) and the tags each VN has there: VN_Connect binds a first tag with the first
 * TSI of a VN, VN_Disconnect releases every tag with the last. A VN may have more tags (Req-7), each bound when a TSI
 * asks for it by VID and released when no TSI of the port uses it any more. Kept apart from the TSIs so that the
 * tag-to-VN index the data plane reads changes in one place only. Written on the protocol thread; the maps are
 * concurrent so views can be read from any thread.
 */
final class VapTable {

    private static final Logger LOG = LoggerFactory.getLogger(VapTable.class);

    private final String port;
    private final LocalTagPool pool;
    private final PortOwner owner;
    private final ConcurrentHashMap<VnId, VapView> vaps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, VnId> vnByVid = new ConcurrentHashMap<>();
    /** Per VN, how many held TSIs use each of its tags beyond the first. */
    private final Map<VnId, Map<Integer, Integer>> extraUse = new HashMap<>();

    VapTable(String port, LocalTagPool pool, PortOwner owner) {
        this.port = port;
        this.pool = pool;
        this.owner = owner;
    }

    /** The VAP of a VN, or null when the VN is disconnected on this port. */
    VapView get(VnId vn) {
        return vaps.get(vn);
    }

    /** The VN whose tag on this port is {@code vid}, or null. */
    VnId vnOfTag(int vid) {
        return vnByVid.get(vid);
    }

    Collection<VapView> all() {
        return vaps.values();
    }

    int size() {
        return vaps.size();
    }

    /**
     * Whether a VN not connected here could have a first tag now: it has one in a shared pool already, or the pool has
     * a free one. Asked before the NVA is, so that a request bound to be refused for want of a tag asks it nothing.
     */
    boolean tagAvailableFor(VnId vn) {
        return pool.tagOf(vn).isPresent() || pool.inUse() < pool.size();
    }

    /**
     * The VN's first tag on this port, which null VIDs get, for a TSI about to be held there with entries asking for
     * {@code vids} (its non-null VIDs, in order). Each must be a tag of the VN here, or becomes one if it is free in the
     * pool; for a VN not connected yet, VN_Connect binds the first of them, or the pool's choice, with the context the
     * NVA gave. All or nothing: a refusal binds no tag.
     */
    LocalTag tagsFor(VnId vn, Set<Integer> vids, VnContext ctx, TsiKey first) throws Refusal {
        VapView vap = vaps.get(vn);
        List<Integer> wanted = List.copyOf(vids);
        int firstVid = vap == null && !wanted.isEmpty() ? wanted.get(0) : FilterEntry.NULL_VID;
        List<Integer> more = new ArrayList<>();
        for (int vid : wanted) {
            boolean have = vap != null ? vap.tags().contains(LocalTag.of(vid)) : vid == firstVid;
            if (!have) {
                check(vn, vid);
                more.add(vid);
            }
        }
        if (vap == null) {
            vap = connect(vn, firstVid, ctx, "first TSI " + first.vsiId() + " from " + first.station());
        }
        for (int vid : more) {
            vap = bind(vap, vid, "asked for by " + first.vsiId() + " from " + first.station());
        }
        return vap.tag();
    }

    /** A VID that is to become one more tag of {@code vn} here must be free, on this port and in the pool. */
    private void check(VnId vn, int vid) throws Refusal {
        VnId clash = vnByVid.get(vid);
        if (clash != null && !clash.equals(vn)) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " is the tag of " + clash + " on " + port);
        }
        try {
            pool.checkExtra(vn, vid);
        } catch (TagUnavailableException e) {
            throw new Refusal(e.error(), e.getMessage());
        }
    }

    private VapView connect(VnId vn, int vid, VnContext ctx, String why) throws Refusal {
        LocalTag tag;
        try {
            tag = pool.acquire(vn, vid);
        } catch (TagUnavailableException e) {
            throw new Refusal(e.error(), e.getMessage());
        }
        VnId clash = vnByVid.get(tag.vid());
        if (clash != null) {
            // Cannot happen with one pool per port or one shared pool; guard the data plane anyway.
            pool.release(vn);
            throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, tag + " is already used by " + clash + " on " + port);
        }
        VapView vap = new VapView(port, vn, VapState.VN_CONNECTED, tag, 0, ctx, List.of(tag));
        vaps.put(vn, vap);
        vnByVid.put(tag.vid(), vn);
        LOG.info("nnve {}: VAP {} VN_DISCONNECTED -> VN_CONNECTED, {} ({}; {})", port, vn, tag, ctx.name(), why);
        owner.publish(l -> l.onVap(new VapEvent(port, vn, VapState.VN_DISCONNECTED, VapState.VN_CONNECTED, tag, why)));
        owner.publishToDataPlane(l -> l.onVnMapped(port, vn, tag, ctx));
        return vap;
    }

    /** One more tag for a connected VN (checked free beforehand). */
    private VapView bind(VapView vap, int vid, String why) throws Refusal {
        LocalTag tag;
        try {
            tag = pool.acquireExtra(vap.vn(), vid);
        } catch (TagUnavailableException e) {
            throw new Refusal(e.error(), e.getMessage());
        }
        List<LocalTag> tags = new ArrayList<>(vap.tags());
        tags.add(tag);
        VapView now = vap.withTags(tags);
        vaps.put(vap.vn(), now);
        vnByVid.put(vid, vap.vn());
        extraUse.computeIfAbsent(vap.vn(), k -> new HashMap<>()).put(vid, 0);
        LOG.info("nnve {}: VAP {} has one more tag, {}; tags now {} ({})", port, vap.vn(), tag, tags, why);
        owner.publishToDataPlane(l -> l.onVnMapped(port, vap.vn(), tag, vap.context()));
        return now;
    }

    /**
     * A TSI of the (connected) VN went from {@code old} to {@code now} (null for INIT): Num_TSI_Associated and the use
     * of the VN's extra tags follow, and an extra tag no TSI uses any more is released. With the last TSI gone, the VN
     * is disconnected and all its tags released.
     */
    void tsiChanged(TsiView old, TsiView now, String why) {
        VnId vn = now != null ? now.vn() : old.vn();
        Map<Integer, Integer> use = extraUse.computeIfAbsent(vn, k -> new HashMap<>());
        if (now != null) {
            now.tags().forEach(t -> use.computeIfPresent(t.vid(), (k, n) -> n + 1));
        }
        if (old != null) {
            old.tags().forEach(t -> use.computeIfPresent(t.vid(), (k, n) -> n - 1));
        }
        VapView vap = vaps.get(vn);
        int tsis = vap.associatedTsis() + (old == null ? 1 : 0) - (now == null ? 1 : 0);
        if (tsis <= 0) {
            disconnect(vap, "last TSI " + old.key().vsiId() + " went: " + why);
            return;
        }
        List<LocalTag> tags = new ArrayList<>(vap.tags());
        for (Map.Entry<Integer, Integer> e : List.copyOf(use.entrySet())) {
            if (e.getValue() <= 0) {
                use.remove(e.getKey());
                LocalTag tag = LocalTag.of(e.getKey());
                tags.remove(tag);
                unbind(vap, tag, "no TSI uses it any more");
            }
        }
        vaps.put(vn, vap.withTsis(tsis).withTags(tags));
    }

    private void unbind(VapView vap, LocalTag tag, String why) {
        vnByVid.remove(tag.vid(), vap.vn());
        pool.releaseExtra(vap.vn(), tag.vid());
        LOG.info("nnve {}: VAP {} releases {} ({})", port, vap.vn(), tag, why);
        owner.publishToDataPlane(l -> l.onVnUnmapped(port, vap.vn(), tag));
    }

    private void disconnect(VapView vap, String why) {
        vaps.remove(vap.vn());
        Map<Integer, Integer> use = extraUse.remove(vap.vn());
        if (use != null) {
            for (int vid : use.keySet()) {
                unbind(vap, LocalTag.of(vid), "the VN disconnects");
            }
        }
        vnByVid.remove(vap.tag().vid(), vap.vn());
        pool.release(vap.vn());
        LOG.info("nnve {}: VAP {} VN_CONNECTED -> VN_DISCONNECTED, {} released ({})", port, vap.vn(), vap.tag(), why);
        owner.publish(l -> l.onVap(new VapEvent(port, vap.vn(), VapState.VN_CONNECTED, VapState.VN_DISCONNECTED, vap.tag(), why)));
        owner.publishToDataPlane(l -> l.onVnUnmapped(port, vap.vn(), vap.tag()));
    }
}
