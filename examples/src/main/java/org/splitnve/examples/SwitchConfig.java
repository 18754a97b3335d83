package org.splitnve.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nnve.policy.PolicyFile;
import org.splitnve.nnve.policy.PolicyParseException;
import org.splitnve.nvaetcd.EtcdNvaConfig;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * What {@link SwitchAgent} runs with, read from one JSON file, policy file included: every mistake is found here,
 * before a NIC is opened, and reported as one {@link BadConfigException} line that names the field.
 *
 * <pre>{@code
 * {
 *   "downlinks":     ["swp1", "swp2"],      // ports toward hypervisors: VDP plus tagged VM traffic
 *   "uplink":        "eth0",                // the underlay port toward the other NVEs
 *   "localIp":       "192.0.2.1",           // this NVE's underlay address
 *   "nextHopMac":    "02:00:00:00:09:09",   // optional; without it ARP/ND finds each remote NVE
 *   "encapsulation": "vxlan",               // optional; vxlan (default) or geneve
 *   "localTags":     "100-199",             // optional; VIDs handed out per downlink (default 2-4094)
 *   "policyFile":    "switch-policy.txt",   // who may join which VN; relative to this file
 *   "nva":           "etcd://192.0.2.100:2379", // optional; default: an NVA in this process
 *   "nvaLeaseTtl":   10,                    // optional, with "nva": seconds a dead switch's TSIs outlive it
 *   "dot1x":         "/var/run/hostapd",    // optional; IEEE 802.1X: hostapd's ctrl_interface for the downlinks
 *   "vns": [ {"vni": 5001, "name": "web", "remoteNves": ["192.0.2.2"]} ]
 * }
 * }</pre>
 *
 * <p>With {@code "dot1x"} (RFC 8394 Req-11) each downlink serves VDP only to the stations hostapd has authorized on it
 * (its control socket {@code DIR/PORT}); a station whose authorization ends loses its TSIs, and the policy file's
 * {@code identity} rules apply to the EAP identity each station authenticated with.
 *
 * <p>With {@code "nva"} the switch shares VN contexts and TSI mappings with every other switch through etcd: the
 * {@code vns} are defined there (a clash with another switch's definition is an error at start), and remote NVEs and
 * flood lists come from etcd, so {@code remoteNves} is only needed for NVEs that publish nothing there.
 */
public record SwitchConfig(List<String> downlinks, String uplink, UnderlayAddress localIp, MacAddress nextHopMac,
                           Encapsulation encapsulation, int firstTag, int lastTag, Path policyFile, AuthorizationPolicy policy,
                           List<Vn> vns, EtcdNvaConfig nva, Path dot1x) {

    private static final Set<String> FIELDS = Set.of("downlinks", "uplink", "localIp", "nextHopMac", "encapsulation",
            "localTags", "policyFile", "vns", "nva", "nvaLeaseTtl", "dot1x");
    private static final Set<String> VN_FIELDS = Set.of("vni", "name", "remoteNves");

    /** A VN this switch serves: the NVA's context for it and the NVEs that hold its other end. */
    public record Vn(VnId vni, String name, List<UnderlayAddress> remoteNves) {
        public Vn {
            remoteNves = List.copyOf(remoteNves);
        }
    }

    /** The configuration cannot be used; the message says which field and why, in one line. */
    public static final class BadConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadConfigException(String message) {
            super(message);
        }
    }

    public SwitchConfig {
        downlinks = List.copyOf(downlinks);
        vns = List.copyOf(vns);
    }

    /** Reads {@code file}; {@code policyFile} is resolved against the file's directory. */
    public static SwitchConfig load(Path file) throws BadConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new BadConfigException(file + ": cannot read: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            return parse(text, dir);
        } catch (BadConfigException e) {
            throw new BadConfigException(file + ": " + e.getMessage());
        }
    }

    /** Parses the JSON text; a relative {@code policyFile} is looked up in {@code baseDir}. */
    public static SwitchConfig parse(String json, Path baseDir) throws BadConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadConfigException("not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
        }
        if (root == null || !root.isObject()) {
            throw new BadConfigException("the configuration is one JSON object");
        }
        onlyKnownFields(root, FIELDS, "");

        List<String> downlinks = interfaces(root);
        String uplink = requiredText(root, "uplink");
        if (downlinks.contains(uplink)) {
            throw new BadConfigException("\"uplink\" " + uplink + " is also a downlink");
        }
        UnderlayAddress local = address("localIp", requiredText(root, "localIp"));
        String hop = optionalText(root, "nextHopMac");
        MacAddress nextHop;
        try {
            nextHop = hop == null ? null : MacAddress.valueOf(hop);
        } catch (IllegalArgumentException e) {
            throw new BadConfigException("\"nextHopMac\" is a MAC such as 02:00:00:00:09:09, not '" + hop + "'");
        }
        Encapsulation encap = encapsulation(optionalText(root, "encapsulation"));
        int[] tags = tagRange(optionalText(root, "localTags"));
        Path policyFile = baseDir.resolve(requiredText(root, "policyFile"));
        AuthorizationPolicy policy = policy(policyFile);
        List<Vn> vns = vns(root, local);
        return new SwitchConfig(downlinks, uplink, local, nextHop, encap, tags[0], tags[1], policyFile, policy, vns, nva(root, local),
                dot1x(optionalText(root, "dot1x"), baseDir));
    }

    /** hostapd's control interface directory of {@code "dot1x"}, or null; it must exist (hostapd made it). */
    private static Path dot1x(String text, Path baseDir) throws BadConfigException {
        if (text == null) {
            return null;
        }
        Path dir = baseDir.resolve(text);
        if (!Files.isDirectory(dir)) {
            throw new BadConfigException("\"dot1x\" " + dir + ": not a directory (hostapd's ctrl_interface)");
        }
        return dir;
    }

    /** The etcd NVA of {@code "nva"} and {@code "nvaLeaseTtl"}, or null for the in-memory one. */
    private static EtcdNvaConfig nva(JsonNode root, UnderlayAddress local) throws BadConfigException {
        String uri = optionalText(root, "nva");
        JsonNode ttl = root.get("nvaLeaseTtl");
        if (uri == null) {
            if (ttl != null && !ttl.isNull()) {
                throw new BadConfigException("\"nvaLeaseTtl\" needs \"nva\"");
            }
            return null;
        }
        try {
            // Other switches find this one's TSIs under its underlay address.
            EtcdNvaConfig.Builder b = EtcdNvaConfig.fromUri(uri).nveName(local.address().getHostAddress());
            if (ttl != null && !ttl.isNull()) {
                if (!ttl.isIntegralNumber() || !ttl.canConvertToInt()) {
                    throw new BadConfigException("\"nvaLeaseTtl\" is a number of seconds, not " + ttl);
                }
                b.leaseTtl(Duration.ofSeconds(ttl.intValue()));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new BadConfigException("\"nva\": " + e.getMessage());
        }
    }

    private static void onlyKnownFields(JsonNode obj, Set<String> known, String where) throws BadConfigException {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                // A misspelt optional field would otherwise be ignored without a word.
                throw new BadConfigException("unknown field \"" + where + f + "\"; known: " + known.stream().sorted().toList());
            }
        }
    }

    private static List<String> interfaces(JsonNode root) throws BadConfigException {
        JsonNode n = root.get("downlinks");
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new BadConfigException("\"downlinks\" is a non-empty array of interface names, e.g. [\"swp1\"]");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode i : n) {
            if (!i.isTextual() || i.asText().isBlank()) {
                throw new BadConfigException("\"downlinks\" holds interface names, not " + i);
            }
            if (!names.add(i.asText())) {
                throw new BadConfigException("\"downlinks\" names " + i.asText() + " twice");
            }
        }
        return List.copyOf(names);
    }

    private static String requiredText(JsonNode obj, String field) throws BadConfigException {
        String v = optionalText(obj, field);
        if (v == null || v.isBlank()) {
            throw new BadConfigException("\"" + field + "\" is missing");
        }
        return v;
    }

    private static String optionalText(JsonNode obj, String field) throws BadConfigException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadConfigException("\"" + field + "\" is a string, not " + n);
        }
        return n.asText();
    }

    private static UnderlayAddress address(String field, String literal) throws BadConfigException {
        try {
            return UnderlayAddress.of(IpText.parse(literal));
        } catch (IllegalArgumentException e) {
            throw new BadConfigException("\"" + field + "\" is an IPv4 or IPv6 address, not '" + literal + "'");
        }
    }

    private static Encapsulation encapsulation(String text) throws BadConfigException {
        if (text == null || text.equals("vxlan")) {
            return Encapsulation.VXLAN;
        }
        if (text.equals("geneve")) {
            return Encapsulation.GENEVE;
        }
        throw new BadConfigException("\"encapsulation\" is vxlan or geneve, not '" + text + "'");
    }

    private static int[] tagRange(String text) throws BadConfigException {
        if (text == null) {
            return new int[] {2, FilterEntry.MAX_VID};
        }
        String why = "\"localTags\" is FIRST-LAST with 1 <= FIRST <= LAST <= " + FilterEntry.MAX_VID + ", not '" + text + "'";
        String[] parts = text.split("-", -1);
        if (parts.length != 2 || !parts[0].matches("\\d{1,4}") || !parts[1].matches("\\d{1,4}")) {
            throw new BadConfigException(why);
        }
        int first = Integer.parseInt(parts[0]);
        int last = Integer.parseInt(parts[1]);
        if (first < 1 || first > last || last > FilterEntry.MAX_VID) {
            throw new BadConfigException(why);
        }
        return new int[] {first, last};
    }

    private static AuthorizationPolicy policy(Path file) throws BadConfigException {
        try {
            return PolicyFile.load(file);
        } catch (NoSuchFileException e) {
            throw new BadConfigException("\"policyFile\" " + file + ": no such file");
        } catch (IOException e) {
            throw new BadConfigException("\"policyFile\" " + file + ": cannot read: " + e.getMessage());
        } catch (PolicyParseException e) {
            throw new BadConfigException("\"policyFile\" " + file + ": " + e.getMessage());
        }
    }

    private static List<Vn> vns(JsonNode root, UnderlayAddress local) throws BadConfigException {
        JsonNode n = root.get("vns");
        if (n == null || !n.isArray() || n.isEmpty()) {
            // The NVA knows only these VNs: without any, every station request would be refused.
            throw new BadConfigException("\"vns\" is a non-empty array of {\"vni\", \"name\", \"remoteNves\"}");
        }
        List<Vn> out = new ArrayList<>();
        Set<Integer> seen = new LinkedHashSet<>();
        for (JsonNode v : n) {
            if (!v.isObject()) {
                throw new BadConfigException("\"vns\" holds objects, not " + v);
            }
            onlyKnownFields(v, VN_FIELDS, "vns[].");
            JsonNode id = v.get("vni");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 1 || id.intValue() > VnId.MAX) {
                throw new BadConfigException("\"vni\" of a VN is a number 1.." + VnId.MAX + ", not " + id);
            }
            if (!seen.add(id.intValue())) {
                throw new BadConfigException("VN " + id.intValue() + " is listed twice");
            }
            String name = optionalText(v, "name");
            List<UnderlayAddress> remotes = new ArrayList<>();
            JsonNode rs = v.get("remoteNves");
            if (rs != null && !rs.isNull()) {
                if (!rs.isArray()) {
                    throw new BadConfigException("\"remoteNves\" of VN " + id.intValue() + " is an array of IP addresses");
                }
                for (JsonNode r : rs) {
                    UnderlayAddress a = address("remoteNves", r.isTextual() ? r.asText() : r.toString());
                    if (a.isIpv6() != local.isIpv6()) {
                        throw new BadConfigException("remote NVE " + r.asText() + " of VN " + id.intValue()
                                + " is not of the address family of \"localIp\" " + local);
                    }
                    remotes.add(a);
                }
            }
            out.add(new Vn(VnId.of(id.intValue()), name == null || name.isBlank() ? "vn-" + id.intValue() : name, remotes));
        }
        return out;
    }
}
