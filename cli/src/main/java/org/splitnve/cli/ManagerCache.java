package org.splitnve.cli;

import org.splitnve.vdpcore.vdp.ManagerId;

/** The text of the last Manager ID seen: a capture names the same few managers over and over. */
final class ManagerCache {

    private ManagerId last;
    private String hex;
    private String name;
    private String text;

    private void update(ManagerId id) {
        if (!id.equals(last)) {
            last = id;
            hex = id.toHex();
            name = id.name();
            text = name == null ? hex : hex + " (\"" + name + "\")";
        }
    }

    /** 32 hex digits. */
    String hex(ManagerId id) {
        update(id);
        return hex;
    }

    /** The lldpad-style name, or null. */
    String name(ManagerId id) {
        update(id);
        return name;
    }

    /** Hex digits, then the name in quotes when there is one. */
    String text(ManagerId id) {
        update(id);
        return text;
    }
}
