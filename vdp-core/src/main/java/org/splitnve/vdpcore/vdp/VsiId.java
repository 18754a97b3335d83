package org.splitnve.vdpcore.vdp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;

/**
 * The 16-octet VSI ID, typed by its format (802.1Q 41.2.7). Each format has its own value class
 * whose {@code toString} is the canonical text: dotted quad, RFC 5952 IPv6, lower-case MAC,
 * 32 hex digits for a locally defined ID, and the RFC 4122 UUID string.
 */
public sealed interface VsiId permits VsiId.Ipv4, VsiId.Ipv6, VsiId.Mac, VsiId.Local, VsiId.Uuid {

    int LENGTH = 16;

    VsiIdFormat format();

    /** Writes the 16 octets at the buffer's position. */
    void writeTo(ByteBuffer buf);

    static VsiId of(UUID uuid) {
        return new Uuid(uuid);
    }

    static VsiId of(MacAddress mac) {
        return new Mac(mac);
    }

    static VsiId of(Inet4Address a) {
        return new Ipv4(a);
    }

    static VsiId of(Inet6Address a) {
        return new Ipv6(a);
    }

    /** A locally defined 16-octet ID. */
    static VsiId local(byte[] sixteen) {
        return new Local(sixteen);
    }

    /**
     * Parses the canonical text of the given format.
     *
     * @throws IllegalArgumentException if the text is not of that format
     */
    static VsiId parse(VsiIdFormat format, String text) {
        return switch (format.value()) {
            case 1 -> {
                // An IPv6 literal would otherwise surface as a ClassCastException.
                if (!(IpText.parse(text) instanceof Inet4Address a)) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                yield new Ipv4(a);
            }
            case 2 -> new Ipv6((Inet6Address) IpText.parse(text.contains(":") ? text : "::ffff:" + text));
            case 3 -> new Mac(MacAddress.valueOf(text));
            case 4 -> new Local(HexDump.parse(text));
            default -> new Uuid(UUID.fromString(text));
        };
    }

    /** IPv4, carried as the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}. */
    record Ipv4(Inet4Address address) implements VsiId {
        public Ipv4 {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public VsiIdFormat format() {
            return VsiIdFormat.IPV4;
        }

        @Override
        public void writeTo(ByteBuffer buf) {
            buf.putLong(0).putShort((short) 0).putShort((short) 0xFFFF).put(address.getAddress());
        }

        @Override
        public String toString() {
            return IpText.format(address);
        }
    }

    record Ipv6(Inet6Address address) implements VsiId {
        public Ipv6 {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public VsiIdFormat format() {
            return VsiIdFormat.IPV6;
        }

        @Override
        public void writeTo(ByteBuffer buf) {
            buf.put(address.getAddress());
        }

        @Override
        public String toString() {
            return IpText.format(address);
        }
    }

    /** A MAC address in the last six octets, the first ten zero. */
    record Mac(MacAddress address) implements VsiId {
        public Mac {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public VsiIdFormat format() {
            return VsiIdFormat.MAC;
        }

        @Override
        public void writeTo(ByteBuffer buf) {
            buf.putLong(0).putShort((short) 0);
            address.writeTo(buf);
        }

        @Override
        public String toString() {
            return address.toString();
        }
    }

    /** A locally defined ID: 16 opaque octets. */
    final class Local implements VsiId {
        private final long hi;
        private final long lo;

        public Local(byte[] sixteen) {
            if (sixteen.length != LENGTH) {
                throw new IllegalArgumentException("a VSI ID has 16 octets, not " + sixteen.length);
            }
            ByteBuffer b = ByteBuffer.wrap(sixteen);
            this.hi = b.getLong();
            this.lo = b.getLong();
        }

        public Local(long hi, long lo) {
            this.hi = hi;
            this.lo = lo;
        }

        public byte[] bytes() {
            return ByteBuffer.allocate(LENGTH).putLong(hi).putLong(lo).array();
        }

        @Override
        public VsiIdFormat format() {
            return VsiIdFormat.LOCAL;
        }

        @Override
        public void writeTo(ByteBuffer buf) {
            buf.putLong(hi).putLong(lo);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Local l && l.hi == hi && l.lo == lo;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hi) * 31 + Long.hashCode(lo);
        }

        @Override
        public String toString() {
            return HexDump.hex(bytes());
        }
    }

    record Uuid(UUID uuid) implements VsiId {
        public Uuid {
            Objects.requireNonNull(uuid, "uuid");
        }

        @Override
        public VsiIdFormat format() {
            return VsiIdFormat.UUID;
        }

        @Override
        public void writeTo(ByteBuffer buf) {
            buf.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        }

        @Override
        public String toString() {
            return uuid.toString();
        }
    }
}
