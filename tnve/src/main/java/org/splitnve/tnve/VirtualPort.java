package org.splitnve.tnve;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * libvirt's 802.1Qbg virtual port:
 * {@code <virtualport type='802.1Qbg'><parameters managerid='11' typeid='1193047' typeidversion='2'
 * instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>}.
 *
 * <p>{@link #parseXml} reads exactly that element with a small hand-written scanner instead of an XML parser, so a
 * domain file cannot pull in entities, DTDs or external resources; anything else is an
 * {@link InvalidVirtualPortException}. Numbers are decimal or {@code 0x} hex, as libvirt accepts them.
 *
 * @param managerId     libvirt {@code managerid}, 0..255 (carried as {@link ManagerId#ofNumber})
 * @param typeId        24-bit VSI Type ID
 * @param typeIdVersion VSI Type Version, 0..255
 * @param instanceId    the VSI instance UUID (the VSI ID, format 5)
 */
public record VirtualPort(int managerId, int typeId, int typeIdVersion, UUID instanceId) {

    private static final Set<String> PARAMETERS = Set.of("managerid", "typeid", "typeidversion", "instanceid");
    private static final int MAX_INPUT = 4096;

    public VirtualPort {
        check(managerId, 0xFF, "managerid");
        check(typeId, 0xFFFFFF, "typeid");
        check(typeIdVersion, 0xFF, "typeidversion");
        if (instanceId == null) {
            throw new InvalidVirtualPortException("instanceid is required");
        }
    }

    private static void check(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new InvalidVirtualPortException(what + " is 0.." + max + ": " + v);
        }
    }

    public VsiId vsiId() {
        return VsiId.of(instanceId);
    }

    public ManagerId vsiManagerId() {
        return ManagerId.ofNumber(managerId);
    }

    /** The TSI this port describes, on {@code vn} with these addresses. */
    public TsiSpec toTsiSpec(VnId vn, List<TsiAddress> addresses) {
        return TsiSpec.builder().vsiId(vsiId()).managerId(vsiManagerId()).typeId(typeId).typeVersion(typeIdVersion).vn(vn)
                .addresses(addresses).build();
    }

    /** The element as libvirt writes it. */
    public String toXml() {
        return "<virtualport type='802.1Qbg'><parameters managerid='" + managerId + "' typeid='" + typeId
                + "' typeidversion='" + typeIdVersion + "' instanceid='" + instanceId + "'/></virtualport>";
    }

    /**
     * Parses one {@code <virtualport type='802.1Qbg'>} element holding one {@code <parameters/>} element.
     *
     * @throws InvalidVirtualPortException on anything else, with what and where
     */
    public static VirtualPort parseXml(String xml) {
        Objects.requireNonNull(xml, "xml");
        if (xml.length() > MAX_INPUT) {
            throw new InvalidVirtualPortException("virtualport element of " + xml.length() + " characters; at most " + MAX_INPUT);
        }
        Scanner s = new Scanner(xml);
        s.skipSpace();
        s.expect("<virtualport");
        Map<String, String> portAttrs = s.attributes();
        s.expect(">");
        if (!portAttrs.keySet().equals(Set.of("type"))) {
            throw new InvalidVirtualPortException("virtualport takes exactly the attribute type, not " + portAttrs.keySet());
        }
        if (!"802.1Qbg".equals(portAttrs.get("type"))) {
            throw new InvalidVirtualPortException("virtualport type is '" + portAttrs.get("type") + "', not '802.1Qbg'");
        }
        s.skipSpace();
        s.expect("<parameters");
        Map<String, String> p = s.attributes();
        if (s.tryExpect("/>")) {
            // empty-element form, as libvirt writes it
        } else {
            s.expect(">");
            s.skipSpace();
            s.expect("</parameters>");
        }
        s.skipSpace();
        s.expect("</virtualport>");
        s.skipSpace();
        if (!s.atEnd()) {
            throw new InvalidVirtualPortException("unexpected content after </virtualport> at " + s.pos);
        }
        for (String k : p.keySet()) {
            if (!PARAMETERS.contains(k)) {
                throw new InvalidVirtualPortException("unknown 802.1Qbg parameter '" + k + "'");
            }
        }
        for (String k : PARAMETERS) {
            if (!p.containsKey(k)) {
                throw new InvalidVirtualPortException("802.1Qbg parameter '" + k + "' is missing");
            }
        }
        UUID uuid;
        try {
            String text = p.get("instanceid");
            if (text.length() != 36) {
                throw new IllegalArgumentException("not 36 characters");
            }
            uuid = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidVirtualPortException("instanceid '" + p.get("instanceid") + "' is not a UUID", e);
        }
        return new VirtualPort(number(p, "managerid", 0xFF), number(p, "typeid", 0xFFFFFF), number(p, "typeidversion", 0xFF), uuid);
    }

    private static int number(Map<String, String> p, String name, int max) {
        String text = p.get(name).trim();
        long v;
        try {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("0x")) {
                if (lower.length() > 10) {
                    throw new NumberFormatException("too long");
                }
                v = Long.parseLong(lower.substring(2), 16);
            } else {
                if (text.length() > 10 || text.startsWith("-") || text.startsWith("+")) {
                    throw new NumberFormatException("not a plain decimal number");
                }
                v = Long.parseLong(text);
            }
        } catch (NumberFormatException e) {
            throw new InvalidVirtualPortException(name + " '" + text + "' is not a number", e);
        }
        if (v < 0 || v > max) {
            throw new InvalidVirtualPortException(name + " is 0.." + max + ": " + v);
        }
        return (int) v;
    }

    /** Just enough of XML for one element with attributes; no entities, comments or processing instructions. */
    private static final class Scanner {
        final String in;
        int pos;

        Scanner(String in) {
            this.in = in;
        }

        boolean atEnd() {
            return pos >= in.length();
        }

        void skipSpace() {
            while (pos < in.length() && isSpace(in.charAt(pos))) {
                pos++;
            }
        }

        static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        boolean tryExpect(String token) {
            skipSpace();
            if (in.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        void expect(String token) {
            if (!tryExpect(token)) {
                throw new InvalidVirtualPortException("expected '" + token + "' at " + pos + " of the virtualport element");
            }
        }

        /** Attributes up to (not including) '>' or '/>'; each {@code name='v'} or {@code name="v"}, no duplicates. */
        Map<String, String> attributes() {
            Map<String, String> out = new HashMap<>();
            while (true) {
                int before = pos;
                skipSpace();
                if (atEnd()) {
                    throw new InvalidVirtualPortException("element not closed");
                }
                char c = in.charAt(pos);
                if (c == '>' || c == '/') {
                    return out;
                }
                if (pos == before) {
                    throw new InvalidVirtualPortException("attributes are separated by white space, at " + pos);
                }
                int start = pos;
                while (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '_'
                        || in.charAt(pos) == '-')) {
                    pos++;
                }
                String name = in.substring(start, pos);
                if (name.isEmpty()) {
                    throw new InvalidVirtualPortException("unexpected '" + c + "' at " + pos);
                }
                skipSpace();
                if (atEnd() || in.charAt(pos) != '=') {
                    throw new InvalidVirtualPortException("attribute '" + name + "' has no value");
                }
                pos++;
                skipSpace();
                if (atEnd() || (in.charAt(pos) != '\'' && in.charAt(pos) != '"')) {
                    throw new InvalidVirtualPortException("value of '" + name + "' is not quoted");
                }
                char quote = in.charAt(pos++);
                int end = in.indexOf(quote, pos);
                if (end < 0) {
                    throw new InvalidVirtualPortException("value of '" + name + "' is not closed");
                }
                String value = in.substring(pos, end);
                if (value.indexOf('<') >= 0 || value.indexOf('&') >= 0) {
                    throw new InvalidVirtualPortException("value of '" + name + "' holds '<' or '&'; entities are not accepted");
                }
                pos = end + 1;
                if (out.put(name, value) != null) {
                    throw new InvalidVirtualPortException("attribute '" + name + "' given twice");
                }
            }
        }
    }
}
