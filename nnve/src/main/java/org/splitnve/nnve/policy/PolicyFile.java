package org.splitnve.nnve.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * An {@link AuthorizationPolicy} read from a small line-based text file.
 *
 * <pre>
 * # comments start with '#'; blank lines are ignored
 * allow vn 5001 station 02:00:00:00:00:01 manager snvmgr addresses 10.0.0.0/24 02:00:00:00:00:00/ff:ff:ff:00:00:00
 * allow port eth1 vn 6000-6099
 * allow identity hv1 vn 7001 addresses 10.7.1.0/24
 * allow identity lab-* vn 7100-7199
 * deny  vn 5001 addresses 10.0.0.1
 * deny  station 02:00:00:00:00:66
 * </pre>
 *
 * <p>Each line is {@code allow} or {@code deny} followed by optional conditions, in any order,
 * each at most once; a missing condition matches anything:
 * <ul>
 *   <li>{@code port NAME}: the NVE port name;</li>
 *   <li>{@code vn N} or {@code vn N-M} (inclusive) or {@code vn any}: the VN ID (24-bit VNI);</li>
 *   <li>{@code station MAC} or {@code station MAC/MASK}: the end device's MAC;</li>
 *   <li>{@code manager NAME} (the name of {@link ManagerId#ofName}) or {@code manager 0x} + 32 hex digits;</li>
 *   <li>{@code identity PATTERN}: the EAP identity the station authenticated with on the port (IEEE 802.1X); the
 *       pattern is the identity itself, or a glob where {@code *} stands for any run of characters and {@code ?}
 *       for one ({@code identity *}: any authenticated station). A request from a port that does not authenticate
 *       has no identity and matches no {@code identity} condition. An identity with white space or {@code #} in it
 *       can only be named by a glob;</li>
 *   <li>{@code addresses A...}: must come last; each item is an IPv4/IPv6 address, a prefix
 *       {@code ADDR/LEN}, a MAC, or {@code MAC/MASK}.</li>
 * </ul>
 *
 * <p>Rules are tried in order and the first whose port, vn, station and manager conditions match
 * decides. An {@code allow} rule with {@code addresses} lets the TSI claim only addresses inside
 * that list (any other is refused as an address: VDP error 5); without it any address. A
 * {@code deny} rule refuses the VN (error 4); with {@code addresses} it matches only requests
 * claiming one of those addresses and refuses that address (error 5), so it can fence a single
 * address inside a VN an allow rule below opens. When no rule matches the request is denied (error
 * 4). A file that does not parse is refused as a whole ({@link PolicyParseException}), never applied in part.
 *
 * <p>A policy fails closed: text without any rule is refused rather than read as "allow everything"
 * (write {@code allow} for that), and so is a file that ends in the middle of a line, which is what a
 * file cut short while it was written looks like. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
 * is the IPv4 address it maps, in a rule and in a request alike, so that a station cannot pass a rule
 * about an IPv4 address by writing it the other way.
 */
public final class PolicyFile implements AuthorizationPolicy {

    private final List<Rule> rules;

    private PolicyFile(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Reads a policy file; one that does not end with a newline is refused as cut short. */
    public static PolicyFile load(Path file) throws IOException, PolicyParseException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new PolicyParseException((int) text.lines().count(), "the file ends in the middle of a line: cut short while it was"
                    + " written? A policy file ends with a newline");
        }
        return parse(text);
    }

    public static PolicyFile parse(String text) throws PolicyParseException {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (!line.isEmpty()) {
                rules.add(parseRule(i + 1, line));
            }
        }
        if (rules.isEmpty()) {
            throw new PolicyParseException(Math.max(1, lines.length), "no rules: a policy without rules would allow every station"
                    + " everything; write 'allow' for that");
        }
        return new PolicyFile(rules);
    }

    /** The number of rules. */
    public int size() {
        return rules.size();
    }

    @Override
    public PolicyDecision authorize(AuthorizationRequest r) {
        for (Rule rule : rules) {
            if (!rule.matchesIdentity(r)) {
                continue;
            }
            if (rule.allow) {
                String outside = rule.firstOutside(r);
                return outside == null ? PolicyDecision.allow(rule.text)
                        : PolicyDecision.denyAddress(rule.text, "address " + outside + " is not allowed");
            }
            if (rule.addresses.isEmpty()) {
                return PolicyDecision.denyVn(rule.text, r.vn() + " is denied to station " + r.station()
                        + r.identity().map(i -> " (identity '" + i + "')").orElse(""));
            }
            String inside = rule.firstInside(r);
            if (inside != null) {
                return PolicyDecision.denyAddress(rule.text, "address " + inside + " is denied");
            }
        }
        return PolicyDecision.denyVn("default deny", "no rule allows " + r.vn() + " to station " + r.station()
                + r.identity().map(i -> " (identity '" + i + "')").orElse("") + " on " + r.port());
    }

    private static Rule parseRule(int lineNo, String line) throws PolicyParseException {
        String[] w = line.split("\\s+");
        Rule rule = new Rule("line " + lineNo + ": " + line);
        switch (w[0].toLowerCase(Locale.ROOT)) {
            case "allow" -> rule.allow = true;
            case "deny" -> rule.allow = false;
            default -> throw new PolicyParseException(lineNo, "a rule starts with 'allow' or 'deny', not '" + w[0] + "'");
        }
        List<String> seen = new ArrayList<>();
        int i = 1;
        while (i < w.length) {
            String key = w[i].toLowerCase(Locale.ROOT);
            if (seen.contains(key)) {
                throw new PolicyParseException(lineNo, "'" + key + "' given twice");
            }
            seen.add(key);
            if (key.equals("addresses")) {
                if (i + 1 >= w.length) {
                    throw new PolicyParseException(lineNo, "'addresses' needs at least one address");
                }
                for (int j = i + 1; j < w.length; j++) {
                    rule.addresses.add(parseAddress(lineNo, w[j]));
                }
                break;
            }
            if (i + 1 >= w.length) {
                throw new PolicyParseException(lineNo, "'" + key + "' needs a value");
            }
            String v = w[i + 1];
            switch (key) {
                case "port" -> rule.port = v;
                case "vn" -> parseVn(lineNo, v, rule);
                case "station" -> {
                    long[] mm = parseMac(lineNo, v);
                    rule.station = mm[0];
                    rule.stationMask = mm[1];
                }
                case "manager" -> rule.manager = parseManager(lineNo, v);
                case "identity" -> rule.identity = IdentityPattern.parse(lineNo, v);
                default -> throw new PolicyParseException(lineNo, "unknown condition '" + w[i]
                        + "' (expected port, vn, station, manager, identity or addresses)");
            }
            i += 2;
        }
        return rule;
    }

    private static void parseVn(int lineNo, String v, Rule rule) throws PolicyParseException {
        if (v.equalsIgnoreCase("any")) {
            return;
        }
        int dash = v.indexOf('-');
        try {
            int lo = Integer.parseInt(dash < 0 ? v : v.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(v.substring(dash + 1));
            VnId.of(lo);
            VnId.of(hi);
            if (hi < lo) {
                throw new PolicyParseException(lineNo, "empty VN range '" + v + "'");
            }
            rule.vnLo = lo;
            rule.vnHi = hi;
        } catch (IllegalArgumentException e) {
            throw new PolicyParseException(lineNo, "bad VN '" + v + "': a VN ID is 1.." + VnId.MAX + ", a range N-M");
        }
    }

    private static ManagerId parseManager(int lineNo, String v) throws PolicyParseException {
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                String hex = v.substring(2);
                if (hex.length() != 32) {
                    throw new IllegalArgumentException("32 hex digits");
                }
                return ManagerId.ofHex(hex);
            }
            return ManagerId.ofName(v);
        } catch (IllegalArgumentException e) {
            throw new PolicyParseException(lineNo, "bad manager '" + v + "': a name of at most 16 ASCII characters or 0x + 32 hex digits");
        }
    }

    private static long[] parseMac(int lineNo, String v) throws PolicyParseException {
        int slash = v.indexOf('/');
        try {
            long mac = MacAddress.valueOf(slash < 0 ? v : v.substring(0, slash)).toLong();
            long mask = slash < 0 ? 0xFFFFFFFFFFFFL : MacAddress.valueOf(v.substring(slash + 1)).toLong();
            return new long[] {mac & mask, mask};
        } catch (IllegalArgumentException e) {
            throw new PolicyParseException(lineNo, "bad MAC '" + v + "': aa:bb:cc:dd:ee:ff or aa:bb:cc:dd:ee:ff/ff:ff:ff:00:00:00");
        }
    }

    private static AddressPattern parseAddress(int lineNo, String v) throws PolicyParseException {
        // A MAC has five separators of the same kind and 17 characters before any mask.
        String head = v.indexOf('/') < 0 ? v : v.substring(0, v.indexOf('/'));
        if (head.length() == 17 && (head.charAt(2) == ':' || head.charAt(2) == '-') && head.chars().filter(c -> c == head.charAt(2)).count() == 5
                && !head.contains("::")) {
            long[] mm = parseMac(lineNo, v);
            return new AddressPattern(mm[0], mm[1], null, 0, v);
        }
        try {
            int slash = v.indexOf('/');
            InetAddress ip = IpText.parse(slash < 0 ? v : v.substring(0, slash));
            int bits = ip.getAddress().length * 8;
            int len = slash < 0 ? bits : Integer.parseInt(v.substring(slash + 1));
            if (len < 0 || len > bits) {
                throw new PolicyParseException(lineNo, "prefix length " + len + " out of 0.." + bits + " in '" + v + "'");
            }
            byte[] v4 = mappedIpv4(ip.getAddress());
            if (v4 != null && len >= MAPPED_PREFIX_BITS) {
                return new AddressPattern(0, 0, v4, len - MAPPED_PREFIX_BITS, v);
            }
            return new AddressPattern(0, 0, ip.getAddress(), len, v);
        } catch (IllegalArgumentException e) {
            throw new PolicyParseException(lineNo, "bad address '" + v + "': an IP address, ADDR/LEN, a MAC or MAC/MASK");
        }
    }

    @Override
    public String toString() {
        return "PolicyFile" + rules.stream().map(r -> r.text).toList();
    }

    /** The bits of ::ffff:0:0/96 before the IPv4 address an IPv4-mapped IPv6 address carries. */
    private static final int MAPPED_PREFIX_BITS = 96;

    /** The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) maps, or null for any other. */
    private static byte[] mappedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return null;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF ? java.util.Arrays.copyOfRange(a, 12, 16) : null;
    }

    private record AddressPattern(long mac, long macMask, byte[] prefix, int prefixLength, String text) {

        boolean isMac() {
            return prefix == null;
        }

        boolean contains(MacAddress a) {
            return isMac() && (a.toLong() & macMask) == mac;
        }

        boolean contains(InetAddress a) {
            if (isMac()) {
                return false;
            }
            byte[] b = a.getAddress();
            byte[] v4 = mappedIpv4(b);
            if (v4 != null && prefix.length == 4) {
                b = v4;
            }
            if (b.length != prefix.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (b[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final class Rule {
        final String text;
        boolean allow;
        String port;
        int vnLo = 1;
        int vnHi = VnId.MAX;
        long station;
        long stationMask;
        ManagerId manager;
        IdentityPattern identity;
        final List<AddressPattern> addresses = new ArrayList<>();

        Rule(String text) {
            this.text = text;
        }

        boolean matchesIdentity(AuthorizationRequest r) {
            return (port == null || port.equals(r.port()))
                    && r.vn().value() >= vnLo && r.vn().value() <= vnHi
                    && (r.station().toLong() & stationMask) == station
                    && (manager == null || manager.equals(r.manager()))
                    && (identity == null || r.identity().filter(identity::matches).isPresent());
        }

        /** The first claimed address outside this rule's list, or null (allow rules). */
        String firstOutside(AuthorizationRequest r) {
            if (addresses.isEmpty()) {
                return null;
            }
            for (MacAddress m : r.macs()) {
                if (addresses.stream().noneMatch(p -> p.contains(m))) {
                    return m.toString();
                }
            }
            for (InetAddress ip : r.ips()) {
                if (addresses.stream().noneMatch(p -> p.contains(ip))) {
                    return IpText.format(ip);
                }
            }
            return null;
        }

        /** The first claimed address inside this rule's list, or null (deny rules). */
        String firstInside(AuthorizationRequest r) {
            for (MacAddress m : r.macs()) {
                if (addresses.stream().anyMatch(p -> p.contains(m))) {
                    return m.toString();
                }
            }
            for (InetAddress ip : r.ips()) {
                if (addresses.stream().anyMatch(p -> p.contains(ip))) {
                    return IpText.format(ip);
                }
            }
            return null;
        }
    }
}
