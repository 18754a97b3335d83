package org.splitnve.nvedataplane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.vdp.LocalTag;

/**
 * What the data plane keeps per VN rather than per TSI: which VN each tag means on each trunk, which (trunk, tag)
 * pairs have an Activated TSI of a VN (its flood list), and which VNIs moved TSIs still hold. Its size follows the
 * number of VNs and tags, not of TSIs, so the tables made from it are rebuilt whole, and only when one of these
 * changes. Changed only under the {@link ForwardingTables}' lock.
 */
final class VnPorts {

    private static final int MAX_VID = 4096;

    private final int trunkCount;
    /** Per trunk, VID to VNI. */
    private final Map<Integer, Map<Integer, Integer>> mapped = new HashMap<>();
    /** Activated TSIs per (VNI, trunk, VID), in the order each pair first got one. */
    private final LinkedHashMap<FloodPort, int[]> floodPorts = new LinkedHashMap<>();
    /** Moved TSIs per VNI: a VNI some moved TSI had is still one decapsulation takes. */
    private final Map<Integer, int[]> movedPerVni = new HashMap<>();
    /** Entries written when the tables are made: what republishing costs. */
    private long work;

    /** A (trunk, tag) pair on a VN's flood list. */
    private record FloodPort(int vni, int trunk, int vid) {
    }

    VnPorts(int trunkCount) {
        this.trunkCount = trunkCount;
    }

    /** {@code vid} on {@code trunk} means {@code vni} now; returns what it meant before, or null. */
    Integer map(int trunk, int vid, int vni) {
        return mapped.computeIfAbsent(trunk, k -> new HashMap<>()).put(vid, vni);
    }

    /** {@code vid} on {@code trunk} no longer means {@code vni} (nothing if it means another VN); returns whether it did. */
    boolean unmap(int trunk, int vid, int vni) {
        Map<Integer, Integer> vniByVid = mapped.get(trunk);
        if (vniByVid == null || vniByVid.get(vid) == null || vniByVid.get(vid) != vni) {
            return false;
        }
        vniByVid.remove(vid);
        return true;
    }

    /** Maps every tag of an Activated TSI to its VN; returns whether a tag meant something else before. */
    boolean mapTags(TsiView v, int trunk) {
        boolean changed = false;
        for (LocalTag tag : v.tags()) {
            Integer old = map(trunk, tag.vid(), v.vn().value());
            changed |= old == null || old != v.vn().value();
        }
        return changed;
    }

    /** Counts a TSI's (trunk, tag) pairs in ({@code delta} 1) or out (-1) of its VN's flood list; returns whether a list changed. */
    boolean flood(TsiView v, int trunk, int delta) {
        boolean changed = false;
        for (LocalTag tag : v.tags()) {
            work++;
            FloodPort p = new FloodPort(v.vn().value(), trunk, tag.vid());
            int[] n = floodPorts.computeIfAbsent(p, k -> new int[1]);
            n[0] += delta;
            if (n[0] <= 0) {
                floodPorts.remove(p);
                changed = true;
            } else {
                changed |= n[0] == delta;
            }
        }
        return changed;
    }

    /** A TSI of {@code vni} moved away; returns whether the VNI is new among moved TSIs. */
    boolean movedIn(int vni) {
        return movedPerVni.computeIfAbsent(vni, k -> new int[1])[0]++ == 0;
    }

    /** A moved TSI of {@code vni} is gone; returns whether no moved TSI has the VNI any more. */
    boolean movedOut(int vni) {
        int[] n = movedPerVni.get(vni);
        if (n != null && --n[0] == 0) {
            movedPerVni.remove(vni);
            return true;
        }
        return false;
    }

    /** Per trunk, the VNI of each VID (-1: unmapped). */
    int[][] vniByVid() {
        int[][] vniByVid = new int[trunkCount][];
        for (int trunk = 0; trunk < trunkCount; trunk++) {
            vniByVid[trunk] = new int[MAX_VID];
            Arrays.fill(vniByVid[trunk], -1);
            Map<Integer, Integer> m = mapped.get(trunk);
            if (m != null) {
                for (Map.Entry<Integer, Integer> e : m.entrySet()) {
                    work++;
                    vniByVid[trunk][e.getKey()] = e.getValue();
                }
            }
        }
        return vniByVid;
    }

    /** The VNIs decapsulation takes: those some trunk maps, and those some moved TSI had. */
    LongKeyTable<Boolean> knownVnis() {
        LongKeyTable.Builder<Boolean> known = LongKeyTable.builder();
        for (Map<Integer, Integer> m : mapped.values()) {
            for (int vni : m.values()) {
                work++;
                known.put(Keys.vn(vni), 0, Boolean.TRUE);
            }
        }
        for (int vni : movedPerVni.keySet()) {
            work++;
            known.put(Keys.vn(vni), 0, Boolean.TRUE);
        }
        return known.build();
    }

    /** VNI to its flood list: pairs (trunk, VID) of the ports with an Activated TSI in it. */
    LongKeyTable<int[]> floodTable() {
        Map<Integer, List<FloodPort>> byVni = new LinkedHashMap<>();
        for (FloodPort p : floodPorts.keySet()) {
            work++;
            byVni.computeIfAbsent(p.vni, k -> new ArrayList<>(2)).add(p);
        }
        LongKeyTable.Builder<int[]> floodTable = LongKeyTable.builder();
        byVni.forEach((vni, ports) -> {
            int[] trunkVidPairs = new int[ports.size() * 2];
            int i = 0;
            for (FloodPort p : ports) {
                trunkVidPairs[i++] = p.trunk;
                trunkVidPairs[i++] = p.vid;
            }
            floodTable.put(Keys.vn(vni), 0, trunkVidPairs);
        });
        return floodTable.build();
    }

    long work() {
        return work;
    }
}
