package org.splitnve.ecptransport.lldp;

/** Told about neighbours and EVB results on one port. Called on the agent's scheduler thread. */
public interface LldpListener {

    /** A neighbour appeared, or changed what it says. */
    default void onNeighborUp(LldpNeighbor neighbor) {
    }

    /** A neighbour's information aged out (TTL) or it said goodbye (TTL 0). */
    default void onNeighborDown(LldpNeighbor neighbor, String why) {
    }

    /** The operating EVB values changed. */
    default void onEvbOperating(EvbOperating operating) {
    }
}
