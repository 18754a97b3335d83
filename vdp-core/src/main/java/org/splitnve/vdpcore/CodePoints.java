package org.splitnve.vdpcore;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.splitnve.vdpcore.vdp.FilterFormat;

/**
 * The registry of the project's own code points (NVO3 extensions to VDP whose IEEE values,
 * 802.1Qcy-2019, are not publicly readable). Every value can be overridden so that the
 * standard's values can be dropped in without touching the codecs.
 *
 * <p>System properties (see {@link #fromProperties}) use the keys
 * {@code splitnve.codepoint.filter.groupIdIpVid}, {@code ...groupIdMacIpVid}, {@code ...macIpVid}
 * and {@code splitnve.codepoint.status.migrationIndicationValid}.
 */
public final class CodePoints {

    public static final String PREFIX = "splitnve.codepoint.";

    /** The project's defaults (docs/PROTOCOL.md section 4). */
    public static final CodePoints DEFAULT = builder().build();

    private final int groupIdIpVid;
    private final int groupIdMacIpVid;
    private final int macIpVid;
    private final int migrationIndicationValidBit;

    private CodePoints(Builder b) {
        this.groupIdIpVid = b.groupIdIpVid;
        this.groupIdMacIpVid = b.groupIdMacIpVid;
        this.macIpVid = b.macIpVid;
        this.migrationIndicationValidBit = b.migrationIndicationValidBit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults overridden by any {@value #PREFIX}* keys present in {@code props}. */
    public static CodePoints fromProperties(Properties props) {
        Builder b = builder();
        for (Map.Entry<Object, Object> e : props.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            int v = parse(key, String.valueOf(e.getValue()));
            switch (key.substring(PREFIX.length())) {
                case "filter.groupIdIpVid" -> b.groupIdIpVid(v);
                case "filter.groupIdMacIpVid" -> b.groupIdMacIpVid(v);
                case "filter.macIpVid" -> b.macIpVid(v);
                case "status.migrationIndicationValid" -> b.migrationIndicationValidBit(v);
                default -> throw new IllegalArgumentException("unknown code point property " + key);
            }
        }
        return b.build();
    }

    /** The defaults overridden by system properties. */
    public static CodePoints fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    private static int parse(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            return v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
        }
    }

    /** The wire code of a filter format: 1..4 from the standard, the others from this registry. */
    public int code(FilterFormat format) {
        return switch (format) {
            case VID -> 1;
            case MAC_VID -> 2;
            case GROUPID_VID -> 3;
            case GROUPID_MAC_VID -> 4;
            case GROUPID_IP_VID -> groupIdIpVid;
            case GROUPID_MAC_IP_VID -> groupIdMacIpVid;
            case MAC_IP_VID -> macIpVid;
        };
    }

    /** The filter format a wire code names, or {@code null} when it names none. */
    public FilterFormat filterFormat(int code) {
        switch (code) {
            case 1:
                return FilterFormat.VID;
            case 2:
                return FilterFormat.MAC_VID;
            case 3:
                return FilterFormat.GROUPID_VID;
            case 4:
                return FilterFormat.GROUPID_MAC_VID;
            default:
                if (code == groupIdIpVid) {
                    return FilterFormat.GROUPID_IP_VID;
                }
                if (code == groupIdMacIpVid) {
                    return FilterFormat.GROUPID_MAC_IP_VID;
                }
                if (code == macIpVid) {
                    return FilterFormat.MAC_IP_VID;
                }
                return null;
        }
    }

    /**
     * The request status bit that makes M and S authoritative (docs/PROTOCOL.md 4.2), echoed by bridges
     * that support it; 0 disables the extension, and the bit is then reserved and must be zero.
     */
    public int migrationIndicationValidBit() {
        return migrationIndicationValidBit;
    }

    public int groupIdIpVid() {
        return groupIdIpVid;
    }

    public int groupIdMacIpVid() {
        return groupIdMacIpVid;
    }

    public int macIpVid() {
        return macIpVid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodePoints c && c.groupIdIpVid == groupIdIpVid && c.groupIdMacIpVid == groupIdMacIpVid
                && c.macIpVid == macIpVid && c.migrationIndicationValidBit == migrationIndicationValidBit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupIdIpVid, groupIdMacIpVid, macIpVid, migrationIndicationValidBit);
    }

    @Override
    public String toString() {
        return String.format("CodePoints[groupIdIpVid=0x%02x, groupIdMacIpVid=0x%02x, macIpVid=0x%02x, migrationIndicationValid=0x%02x]",
                groupIdIpVid, groupIdMacIpVid, macIpVid, migrationIndicationValidBit);
    }

    public static final class Builder {
        private int groupIdIpVid = 0x05;
        private int groupIdMacIpVid = 0x06;
        private int macIpVid = 0x07;
        private int migrationIndicationValidBit = 0x80;

        private Builder() {
        }

        public Builder groupIdIpVid(int code) {
            this.groupIdIpVid = code;
            return this;
        }

        public Builder groupIdMacIpVid(int code) {
            this.groupIdMacIpVid = code;
            return this;
        }

        public Builder macIpVid(int code) {
            this.macIpVid = code;
            return this;
        }

        public Builder migrationIndicationValidBit(int bit) {
            this.migrationIndicationValidBit = bit;
            return this;
        }

        public CodePoints build() {
            int[] codes = {groupIdIpVid, groupIdMacIpVid, macIpVid};
            for (int c : codes) {
                if (c < 5 || c > 255) {
                    throw new IllegalArgumentException("project filter format codes must be 5..255 (1..4 are the standard's): " + c);
                }
            }
            if (groupIdIpVid == groupIdMacIpVid || groupIdIpVid == macIpVid || groupIdMacIpVid == macIpVid) {
                throw new IllegalArgumentException("project filter format codes must differ: " + groupIdIpVid + ", " + groupIdMacIpVid + ", " + macIpVid);
            }
            // 0x80 is the only status bit the standard leaves reserved; anything else would collide.
            if (migrationIndicationValidBit != 0 && migrationIndicationValidBit != 0x80) {
                throw new IllegalArgumentException("the migration-indication-valid bit can only be 0x80 or 0 (disabled): 0x"
                        + Integer.toHexString(migrationIndicationValidBit));
            }
            return new CodePoints(this);
        }
    }
}
