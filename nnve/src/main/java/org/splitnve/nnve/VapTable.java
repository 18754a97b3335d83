package org.splitnve.nnve;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The VAPs of one port (RFC 8394 Figure 5) and the tag each VN has there: VN_Connect binds a tag
 * with the first TSI of a VN, VN_Disconnect releases it with the last. Kept apart from the TSIs so
 * that the tag-to-VN index the data plane reads changes in one place only. Written on the protocol
 * thread; the maps are concurrent so views can be read from any thread.
 */
final class VapTable {

    private static final Logger LOG = LoggerFactory.getLogger(VapTable.class);

    private final String port;
    private final LocalTagPool pool;
    private final PortOwner owner;
    private final ConcurrentHashMap<VnId, VapView> vaps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, VnId> vnByVid = new ConcurrentHashMap<>();

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
     * The VN's tag on this port for a TSI about to be held there. A connected VN keeps its tag, so
     * a requested VID must be it; else VN_Connect binds the requested VID, or the pool's choice for
     * the null VID, with the context the NVA gave.
     */
    LocalTag tagFor(VnId vn, int vid, VnContext ctx, TsiKey first) throws Refusal {
        VapView vap = vaps.get(vn);
        if (vap != null) {
            RequestChecks.vidIsTag(vid, vn, vap.tag(), port);
            return vap.tag();
        }
        return connect(vn, vid, ctx, "first TSI " + first.vsiId() + " from " + first.station());
    }

    private LocalTag connect(VnId vn, int vid, VnContext ctx, String why) throws Refusal {
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
        vaps.put(vn, new VapView(port, vn, VapState.VN_CONNECTED, tag, 0, ctx));
        vnByVid.put(tag.vid(), vn);
        LOG.info("nnve {}: VAP {} VN_DISCONNECTED -> VN_CONNECTED, {} ({}; {})", port, vn, tag, ctx.name(), why);
        owner.publish(l -> l.onVap(new VapEvent(port, vn, VapState.VN_DISCONNECTED, VapState.VN_CONNECTED, tag, why)));
        owner.publishToDataPlane(l -> l.onVnMapped(port, vn, tag, ctx));
        return tag;
    }

    /** Num_TSI_Associated goes up: a TSI of the (connected) VN is now held. */
    void tsiJoined(VnId vn) {
        VapView vap = vaps.get(vn);
        vaps.put(vn, vap.withTsis(vap.associatedTsis() + 1));
    }

    /** Num_TSI_Associated goes down; with the last TSI the VN is disconnected and its tag released. */
    void tsiLeft(TsiView gone, String why) {
        VapView vap = vaps.get(gone.vn());
        if (vap.associatedTsis() <= 1) {
            disconnect(vap, "last TSI " + gone.key().vsiId() + " went: " + why);
        } else {
            vaps.put(gone.vn(), vap.withTsis(vap.associatedTsis() - 1));
        }
    }

    private void disconnect(VapView vap, String why) {
        vaps.remove(vap.vn());
        vnByVid.remove(vap.tag().vid(), vap.vn());
        pool.release(vap.vn());
        LOG.info("nnve {}: VAP {} VN_CONNECTED -> VN_DISCONNECTED, {} released ({})", port, vap.vn(), vap.tag(), why);
        owner.publish(l -> l.onVap(new VapEvent(port, vap.vn(), VapState.VN_CONNECTED, VapState.VN_DISCONNECTED, vap.tag(), why)));
        owner.publishToDataPlane(l -> l.onVnUnmapped(port, vap.vn(), vap.tag()));
    }
}
