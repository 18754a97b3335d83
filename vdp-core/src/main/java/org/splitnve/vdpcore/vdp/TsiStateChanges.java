package org.splitnve.vdpcore.vdp;

/**
 * Counts of TSI state changes by old and new state, for the one log line that sums up the changes a VDPDU made
 * (each change itself being logged at DEBUG): the station and the bridge log a batch of thousands of TSIs in one line.
 * Not thread-safe; an engine keeps one per batch on its protocol thread.
 */
public final class TsiStateChanges {

    private static final TsiState[] STATES = TsiState.values();

    private final int[][] counts = new int[STATES.length][STATES.length];
    private int total;

    public void count(TsiState from, TsiState to) {
        counts[from.ordinal()][to.ordinal()]++;
        total++;
    }

    /** Changes counted so far. */
    public int total() {
        return total;
    }

    /** {@code "37 INIT -> ACTIVATED, 2 ACTIVATED -> INIT"}, in state order; empty when nothing changed. */
    @Override
    public String toString() {
        StringBuilder summary = new StringBuilder();
        for (TsiState from : STATES) {
            for (TsiState to : STATES) {
                int n = counts[from.ordinal()][to.ordinal()];
                if (n > 0) {
                    summary.append(summary.length() == 0 ? "" : ", ").append(n).append(' ').append(from).append(" -> ").append(to);
                }
            }
        }
        return summary.toString();
    }
}
