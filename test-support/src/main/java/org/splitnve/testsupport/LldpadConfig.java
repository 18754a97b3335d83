package org.splitnve.testsupport;

import java.util.Objects;

/**
 * The configuration file an {@link Lldpad} starts with: only the nearest-customer-bridge agent, on one interface,
 * with the EVB TLV (IEEE 802.1Q ratified form, OUI 00-80-C2 subtype 0x0D) enabled.
 *
 * <p>The EVB settings go into the file instead of being set with lldptool after start because lldpad latches its
 * VDP role about one second after start: a daemon switched to {@code evbmode=bridge} later keeps acting as a
 * station and ignores every request. The syntax is exactly what lldpad itself saves after
 * {@code lldptool -T -i IF -g ncb -V evb -c evbmode=bridge -c evbgpid=yes ...}: a {@code tlvid0080c20d} group under
 * the interface, with strings for the mode, booleans for the flags and plain integers for the timers. A file with
 * that group read at start takes effect at once (checked with {@code lldptool -t -i IF -g ncb -V evb}). What lldpad
 * saved, trimmed to the part that matters (it also stores the chassis and port ID TLVs it derived from the MAC, and
 * entries for the other agents, none of which are needed at start):
 *
 * <pre>
 * nearest_customer_bridge :
 * {
 *   IF :
 *   {
 *     adminStatus = 3;
 *     tlvid0080c20d :
 *     {
 *       evbmode = "bridge";
 *       evbgpid = true;
 *       enableTx = true;
 *       ecpretries = 3;
 *       ecprte = 14;
 *       vdprwd = 20;
 *       vdprka = 20;
 *       evbrrcap = false;
 *       evbrrreq = false;
 *     };
 *   };
 * };
 * </pre>
 *
 * <p>Timer values set with lldptool while the daemon runs are saved but not applied to the TLV it sends (it kept
 * advertising RTE 8 after {@code ecprte=14}), another reason to write them before start.
 *
 * <p>Immutable; each {@code with...} method returns a copy.
 */
public final class LldpadConfig {

    /** The EVB mode of the daemon, which decides whether it sends VDP requests or answers them. */
    public enum Role {
        STATION("station"),
        BRIDGE("bridge");

        private final String evbMode;

        Role(String evbMode) {
            this.evbMode = evbMode;
        }

        /** The value of lldpad's {@code evbmode} setting. */
        public String evbMode() {
            return evbMode;
        }

        /** The role lldpad must see on the other end of the link. */
        public Role peer() {
            return this == STATION ? BRIDGE : STATION;
        }
    }

    private final Role role;
    private final boolean groupId;
    private final Integer ecpRetries;
    private final Integer ecpRte;
    private final Integer vdpRwd;
    private final Integer vdpRka;

    private LldpadConfig(Role role, boolean groupId, Integer ecpRetries, Integer ecpRte, Integer vdpRwd,
            Integer vdpRka) {
        this.role = Objects.requireNonNull(role, "role");
        this.groupId = groupId;
        this.ecpRetries = ecpRetries;
        this.ecpRte = ecpRte;
        this.vdpRwd = vdpRwd;
        this.vdpRka = vdpRka;
    }

    /** A configuration for {@code role} with lldpad's defaults for everything else (GroupID off, R 3, RTE 8, ...). */
    public static LldpadConfig of(Role role) {
        return new LldpadConfig(role, false, null, null, null, null);
    }

    public Role role() {
        return role;
    }

    /**
     * Announces GroupID support ({@code evbgpid}): BGID as a bridge, SGID as a station. Filter formats carrying a
     * GroupID are only usable when both ends announce it.
     */
    public LldpadConfig withGroupId(boolean enabled) {
        return new LldpadConfig(role, enabled, ecpRetries, ecpRte, vdpRwd, vdpRka);
    }

    /** ECP maximum retries R, 0..7 ({@code ecpretries}). */
    public LldpadConfig withEcpRetries(int retries) {
        return new LldpadConfig(role, groupId, checkRange("ecpretries", retries, 7), ecpRte, vdpRwd, vdpRka);
    }

    /** ECP retransmission exponent RTE, 0..31: the ack timer is 10 us x 2^RTE ({@code ecprte}). */
    public LldpadConfig withEcpRte(int exponent) {
        return new LldpadConfig(role, groupId, ecpRetries, checkRange("ecprte", exponent, 31), vdpRwd, vdpRka);
    }

    /** VDP resource wait delay exponent RWD, 0..31 ({@code vdprwd}). */
    public LldpadConfig withVdpRwd(int exponent) {
        return new LldpadConfig(role, groupId, ecpRetries, ecpRte, checkRange("vdprwd", exponent, 31), vdpRka);
    }

    /** VDP keep-alive exponent RKA, 0..31 ({@code vdprka}). */
    public LldpadConfig withVdpRka(int exponent) {
        return new LldpadConfig(role, groupId, ecpRetries, ecpRte, vdpRwd, checkRange("vdprka", exponent, 31));
    }

    /**
     * The file content for {@code interfaceName}. adminStatus 3 is "enabledRxTx"; the other agents (nearest
     * bridge, nearest non-TPMR bridge) are left out, and so stay disabled, to keep their LLDP frames off the wire.
     */
    public String render(String interfaceName) {
        StringBuilder evb = new StringBuilder();
        evb.append("      enableTx = true;\n");
        evb.append("      evbmode = \"").append(role.evbMode()).append("\";\n");
        evb.append("      evbgpid = ").append(groupId).append(";\n");
        appendInt(evb, "ecpretries", ecpRetries);
        appendInt(evb, "ecprte", ecpRte);
        appendInt(evb, "vdprwd", vdpRwd);
        appendInt(evb, "vdprka", vdpRka);
        return "nearest_customer_bridge :\n"
                + "{\n"
                + "  " + interfaceName + " :\n"
                + "  {\n"
                + "    adminStatus = 3;\n"
                + "    tlvid0080c20d :\n"
                + "    {\n"
                + evb
                + "    };\n"
                + "  };\n"
                + "};\n";
    }

    private static void appendInt(StringBuilder sb, String key, Integer value) {
        if (value != null) {
            sb.append("      ").append(key).append(" = ").append(value).append(";\n");
        }
    }

    private static int checkRange(String key, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(key + " must be 0.." + max + ", not " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "LldpadConfig[" + role + ", groupId=" + groupId + ", R=" + ecpRetries + ", RTE=" + ecpRte
                + ", RWD=" + vdpRwd + ", RKA=" + vdpRka + "]";
    }
}
