package org.splitnve.tnve;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The local tag (VID) of each VN on each bridge (docs/PROTOCOL.md 4.5): learned from responses, which is VN_Connect, and
 * released with the VN, which is VN_Disconnect. A tag a bridge must confirm again (it restarted or was unreachable) is
 * unconfirmed: requests carry the null VID until the bridge answers with it. Written on the protocol thread; the known
 * tags are read from any thread.
 */
final class TagBook {

    private static final Logger LOG = LoggerFactory.getLogger(TagBook.class);

    private final String port;
    private final Listeners listeners;
    private final Map<MacAddress, Map<VnId, LocalTag>> tags = new ConcurrentHashMap<>();
    private final Map<MacAddress, Set<VnId>> unconfirmed = new HashMap<>();

    TagBook(String port, Listeners listeners) {
        this.port = port;
        this.listeners = listeners;
    }

    /** The tag a bridge last gave the VN, confirmed or not; null if none. Any thread. */
    LocalTag known(MacAddress bridge, VnId vn) {
        Map<VnId, LocalTag> t = tags.get(bridge);
        return t == null ? null : t.get(vn);
    }

    /** The VID a request carries: the tag once known and confirmed, else null for the null VID (implicit VN_Connect). */
    LocalTag confirmed(MacAddress bridge, VnId vn) {
        Set<VnId> u = unconfirmed.get(bridge);
        return u != null && u.contains(vn) ? null : known(bridge, vn);
    }

    /**
     * A bridge answered a request of {@code answered} for the VSI of {@code b} with {@code tag}: a first tag connects
     * the VN, another one replaces the old. Returns whether the tag changed.
     */
    boolean learn(Binding b, VdpTlvType answered, LocalTag tag) {
        VnId vn = b.tsi.spec.vn();
        Map<VnId, LocalTag> t = tags.computeIfAbsent(b.bridge, k -> new ConcurrentHashMap<>());
        LocalTag old = t.get(vn);
        confirm(b.bridge, vn);
        if (old == null) {
            t.put(vn, tag);
            String why = b.tsi.anchor ? "explicit VN_Connect (anchor " + b.tsi.id() + ")" : "implicit VN_Connect by VSI " + b.tsi.id();
            LOG.info("tnve {}: {} on {} connected with {} ({})", port, vn, b.bridge, tag, why);
            VnEvent e = new VnEvent(vn, b.bridge, true, tag, why);
            listeners.fire(l -> l.onVn(e));
            return false;
        }
        if (old.equals(tag)) {
            return false;
        }
        t.put(vn, tag);
        LOG.warn("tnve {}: {} on {}: tag changed {} -> {} (answer to {} for VSI {})", port, vn, b.bridge, old, tag, answered,
                b.tsi.id());
        listeners.fire(l -> l.onTagChanged(vn, b.bridge, old, tag));
        return true;
    }

    /** The bridge answered with the VN's tag: requests carry it again. */
    void confirm(MacAddress bridge, VnId vn) {
        Set<VnId> u = unconfirmed.get(bridge);
        if (u != null) {
            u.remove(vn);
        }
    }

    /** The bridge may have lost its tags: every one it gave must be confirmed again. */
    void unconfirmAll(MacAddress bridge) {
        Map<VnId, LocalTag> known = tags.get(bridge);
        if (known != null) {
            unconfirmed.computeIfAbsent(bridge, k -> new HashSet<>()).addAll(known.keySet());
        }
    }

    /** VN_Disconnect of the VN on one bridge, if it has a tag there. */
    void release(MacAddress bridge, VnId vn, String why) {
        Map<VnId, LocalTag> t = tags.get(bridge);
        LocalTag tag = t == null ? null : t.remove(vn);
        if (tag != null) {
            released(bridge, vn, tag, why);
        }
    }

    /** VN_Disconnect of the VN on every bridge that gave it a tag. */
    void releaseEverywhere(VnId vn, String why) {
        for (Map.Entry<MacAddress, Map<VnId, LocalTag>> t : tags.entrySet()) {
            LocalTag tag = t.getValue().remove(vn);
            if (tag != null) {
                released(t.getKey(), vn, tag, why);
            }
        }
    }

    private void released(MacAddress bridge, VnId vn, LocalTag tag, String why) {
        confirm(bridge, vn);
        LOG.info("tnve {}: {} on {} disconnected, {} released ({})", port, vn, bridge, tag, why);
        VnEvent e = new VnEvent(vn, bridge, false, tag, why);
        listeners.fire(l -> l.onVn(e));
    }
}
