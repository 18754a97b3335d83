package org.splitnve.conformance;

/**
 * The role of the implementation under test. The suite plays the other one: against a
 * {@link #BRIDGE} it is a VDP station, against a {@link #STATION} it is a VDP bridge.
 */
public enum PeerRole {
    BRIDGE,
    STATION;

    public static PeerRole parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "bridge" -> BRIDGE;
            case "station" -> STATION;
            default -> throw new IllegalArgumentException("role is bridge or station: " + text);
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
