package org.splitnve.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virtual Ethernet cable between two network namespaces, both ends up. It needs no closing of its own: deleting
 * either namespace destroys the end in it, and the kernel then destroys the peer.
 *
 * <pre>{@code
 * VethPair link = VethPair.between(bridgeNs, stationNs)
 *         .names("br0", "st0")
 *         .macs("02:00:00:00:01:02", "02:00:00:00:01:01")
 *         .create();
 * }</pre>
 */
public final class VethPair {

    /** Longest interface name the kernel accepts (IFNAMSIZ minus the terminating NUL). */
    public static final int MAX_INTERFACE_NAME = 15;

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /** The "address" member of {@code ip -j link show} output; the first one is the link-layer address. */
    private static final Pattern JSON_ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([0-9a-fA-F:]+)\"");

    /**
     * One end of the pair.
     *
     * @param namespace     the namespace the interface lives in
     * @param interfaceName its name there
     * @param mac           its MAC address, lower case with colons
     */
    public record End(NetworkNamespace namespace, String interfaceName, String mac) {
    }

    private final End a;
    private final End b;

    private VethPair(End a, End b) {
        this.a = a;
        this.b = b;
    }

    /** Starts describing a pair with one end in {@code a} and the other in {@code b}. */
    public static Builder between(NetworkNamespace a, NetworkNamespace b) {
        return new Builder(a, b);
    }

    /** The end in the first namespace given to {@link #between}. */
    public End a() {
        return a;
    }

    /** The end in the second namespace given to {@link #between}. */
    public End b() {
        return b;
    }

    /** Options of a pair to be created; defaults: names veth-a and veth-b, kernel-chosen MACs, IPv6 disabled. */
    public static final class Builder {

        private final NetworkNamespace nsA;
        private final NetworkNamespace nsB;
        private String nameA = "veth-a";
        private String nameB = "veth-b";
        private String macA;
        private String macB;
        private boolean disableIpv6 = true;

        private Builder(NetworkNamespace a, NetworkNamespace b) {
            this.nsA = Objects.requireNonNull(a, "a");
            this.nsB = Objects.requireNonNull(b, "b");
        }

        /** Interface names; they only need to be unique within their own namespace. */
        public Builder names(String a, String b) {
            this.nameA = checkName(a);
            this.nameB = checkName(b);
            if (nsA == nsB && nameA.equals(nameB)) {
                throw new IllegalArgumentException("both ends are in " + nsA.name() + " and named " + a);
            }
            return this;
        }

        /**
         * Fixed MAC addresses, so that frames in captures and expected values in tests do not change from run to
         * run. Use locally administered unicast addresses (first octet 02, 06, 0a, ...) to stay clear of real ones.
         */
        public Builder macs(String a, String b) {
            this.macA = checkMac(a);
            this.macB = checkMac(b);
            return this;
        }

        /** Leaves IPv6 enabled in both namespaces (by default it is disabled to keep captures quiet). */
        public Builder keepIpv6() {
            this.disableIpv6 = false;
            return this;
        }

        /** Creates the pair and brings both ends up. */
        public VethPair create() {
            if (disableIpv6) {
                // Before the interfaces exist, so that they inherit "default" and never send a single RS or DAD.
                nsA.disableIpv6();
                if (nsB != nsA) {
                    nsB.disableIpv6();
                }
            }
            // Run inside A so that no interface, even briefly, appears in the machine's own namespace.
            List<String> add = new ArrayList<>(List.of("ip", "link", "add", nameA));
            addAddress(add, macA);
            add.addAll(List.of("type", "veth", "peer", "name", nameB, "netns", nsB.name()));
            addAddress(add, macB);
            nsA.exec(add.toArray(String[]::new));
            nsA.exec("ip", "link", "set", nameA, "up");
            nsB.exec("ip", "link", "set", nameB, "up");
            return new VethPair(new End(nsA, nameA, macOf(nsA, nameA)), new End(nsB, nameB, macOf(nsB, nameB)));
        }

        private static void addAddress(List<String> command, String mac) {
            if (mac != null) {
                command.add("address");
                command.add(mac);
            }
        }
    }

    /** The MAC address of an interface, as the kernel reports it. */
    static String macOf(NetworkNamespace ns, String interfaceName) {
        String json = ns.exec("ip", "-j", "link", "show", "dev", interfaceName);
        Matcher m = JSON_ADDRESS.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no address for " + interfaceName + " in " + ns.name() + ": " + json);
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("not a usable interface name (1 to 15 of A-Z a-z 0-9 _ . -): " + name);
        }
        return name;
    }

    private static String checkMac(String mac) {
        String normalized = mac.toLowerCase(Locale.ROOT);
        if (!MAC.matcher(normalized).matches()) {
            throw new IllegalArgumentException("not a MAC address of the form 02:00:00:00:00:01: " + mac);
        }
        if ((Integer.parseInt(normalized.substring(0, 2), 16) & 0x01) != 0) {
            throw new IllegalArgumentException("a multicast address cannot be an interface address: " + mac);
        }
        return normalized;
    }

    @Override
    public String toString() {
        return a.namespace().name() + "/" + a.interfaceName() + " <-> " + b.namespace().name() + "/" + b.interfaceName();
    }
}
