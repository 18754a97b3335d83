package org.splitnve.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The VSIs {@code splitnve station --vsi FILE} associates: a JSON array of objects, or an object
 * with a {@code vsis} array. Keys: {@code vsiId} (UUID), {@code managerId} (a libvirt number 0..255,
 * 32 hex digits, or an lldpad-style name), {@code typeId} (0..16777215), {@code typeVersion}
 * (0..255), {@code vn} (1..16777215), {@code mac}, {@code ips} (array), {@code mode}
 * ("associate" or "pre-associate", default associate), {@code migration} ("none", "to", "from",
 * default none). Unknown keys are refused so that a typo does not silently drop a setting, and so are
 * addresses a VM cannot have (unspecified, multicast, broadcast) and a VSI ID given twice: the file is
 * refused before anything is sent, rather than the bridge refusing one VSI after another.
 */
final class VsiFile {

    /** How the station brings a VSI up. */
    enum Mode { ASSOCIATE, PRE_ASSOCIATE }

    /** The migration indication the first request carries. */
    enum MigrationHint { NONE, TO, FROM }

    /** One VSI of the file. */
    record Entry(UUID vsiId, ManagerId managerId, int typeId, int typeVersion, VnId vn, MacAddress mac, List<InetAddress> ips,
                 Mode mode, MigrationHint migration) {
    }

    /** A file that cannot be used, with where and why. */
    static final class BadVsiFileException extends Exception {
        private static final long serialVersionUID = 1L;

        BadVsiFileException(String message) {
            super(message);
        }
    }

    private static final Set<String> KEYS = Set.of("vsiId", "managerId", "typeId", "typeVersion", "vn", "mac", "ips", "mode",
            "migration");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private VsiFile() {
    }

    static List<Entry> load(Path file) throws BadVsiFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadVsiFileException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    static List<Entry> parse(String name, String text) throws BadVsiFileException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadVsiFileException(name + ": not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr()));
        }
        if (root != null && root.isObject() && root.has("vsis")) {
            root = root.get("vsis");
        }
        if (root == null || !root.isArray()) {
            throw new BadVsiFileException(name + ": expected a JSON array of VSIs (or {\"vsis\": [...]})");
        }
        List<Entry> out = new ArrayList<>();
        Set<UUID> seen = new java.util.HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String where = name + ": VSI #" + (i + 1);
            Entry e = entry(where, root.get(i));
            if (!seen.add(e.vsiId())) {
                throw new BadVsiFileException(where + ": vsiId " + e.vsiId() + " appears twice");
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new BadVsiFileException(name + ": no VSIs");
        }
        return out;
    }

    private static Entry entry(String where, JsonNode n) throws BadVsiFileException {
        if (!n.isObject()) {
            throw new BadVsiFileException(where + ": expected an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new BadVsiFileException(where + ": unknown key \"" + k + "\" (known: " + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        try {
            UUID vsiId = UUID.fromString(text(where, n, "vsiId", null));
            ManagerId mgr = managerId(text(where, n, "managerId", "0"));
            int typeId = number(where, n, "typeId", 0, 0xFFFFFF, 0);
            int typeVersion = number(where, n, "typeVersion", 0, 0xFF, 0);
            VnId vn = VnId.of(number(where, n, "vn", 1, VnId.MAX, -1));
            MacAddress mac = n.has("mac") ? MacAddress.valueOf(text(where, n, "mac", null)) : null;
            if (mac != null && !mac.isUsableUnicast()) {
                throw new BadVsiFileException(where + ": mac " + mac + " is not a usable unicast address");
            }
            List<InetAddress> ips = new ArrayList<>();
            if (n.has("ips")) {
                JsonNode a = n.get("ips");
                if (!a.isArray()) {
                    throw new BadVsiFileException(where + ": ips must be an array of addresses");
                }
                for (JsonNode ip : a) {
                    if (!ip.isTextual()) {
                        throw new BadVsiFileException(where + ": ips must hold strings");
                    }
                    InetAddress address = IpText.parse(ip.asText());
                    String wrong = notAHostAddress(address);
                    if (wrong != null) {
                        throw new BadVsiFileException(where + ": ip " + ip.asText() + " is " + wrong + ", not an address a VM can have");
                    }
                    ips.add(address);
                }
            }
            Mode mode = switch (text(where, n, "mode", "associate")) {
                case "associate" -> Mode.ASSOCIATE;
                case "pre-associate" -> Mode.PRE_ASSOCIATE;
                default -> throw new BadVsiFileException(where + ": mode is \"associate\" or \"pre-associate\"");
            };
            MigrationHint migration = switch (text(where, n, "migration", "none")) {
                case "none" -> MigrationHint.NONE;
                case "to" -> MigrationHint.TO;
                case "from" -> MigrationHint.FROM;
                default -> throw new BadVsiFileException(where + ": migration is \"none\", \"to\" or \"from\"");
            };
            return new Entry(vsiId, mgr, typeId, typeVersion, vn, mac, List.copyOf(ips), mode, migration);
        } catch (IllegalArgumentException e) {
            throw new BadVsiFileException(where + ": " + e.getMessage());
        }
    }

    /**
     * Why {@code a} cannot be a TSI's address (unspecified, multicast, the IPv4 broadcast address), also when it is
     * written as an IPv4-mapped IPv6 address; null when it can be. A bridge refuses these with error 5.
     */
    static String notAHostAddress(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16 && isMapped(b)) {
            b = java.util.Arrays.copyOfRange(b, 12, 16);
        }
        InetAddress plain;
        try {
            plain = InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            return "not an address";
        }
        if (plain.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (plain.isMulticastAddress()) {
            return "multicast";
        }
        if (b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF) {
            return "the broadcast address";
        }
        return null;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    static ManagerId managerId(String s) {
        if (s.matches("\\d{1,3}")) {
            int v = Integer.parseInt(s);
            if (v > 255) {
                throw new IllegalArgumentException("a numeric managerId is 0..255 (libvirt): " + s);
            }
            return ManagerId.ofNumber(v);
        }
        if (s.matches("(?i)[0-9a-f]{32}")) {
            return ManagerId.ofHex(s);
        }
        return ManagerId.ofName(s);
    }

    private static String text(String where, JsonNode n, String key, String dflt) throws BadVsiFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new BadVsiFileException(where + ": \"" + key + "\" is required");
            }
            return dflt;
        }
        if (v.isNumber() && key.equals("managerId")) {
            return v.asText();
        }
        if (!v.isTextual()) {
            throw new BadVsiFileException(where + ": \"" + key + "\" must be a string");
        }
        return v.asText();
    }

    private static int number(String where, JsonNode n, String key, int min, int max, int dflt) throws BadVsiFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt < 0) {
                throw new BadVsiFileException(where + ": \"" + key + "\" is required");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new BadVsiFileException(where + ": \"" + key + "\" must be an integer " + min + ".." + max + ", not " + v);
        }
        return v.asInt();
    }
}
