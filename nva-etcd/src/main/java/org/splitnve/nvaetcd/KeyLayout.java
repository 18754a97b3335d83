package org.splitnve.nvaetcd;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Where the NVA keeps what in etcd (docs/NVA-ETCD.md, "Keys"): every key of one deployment lies under one prefix,
 * VN contexts under {@code vn/}, live nNVEs under {@code nve/}, TSI address mappings under {@code map/}. Keys are
 * UTF-8 text; segments that are free text (VN names, NVE names) are percent-encoded, so that a {@code /} in a name
 * cannot make another key. Parsing is strict: a key this class would not have built is not one of ours.
 */
final class KeyLayout {

    /** The prefix of the first version of the layout. */
    static final String DEFAULT_PREFIX = "/splitnve/v1";

    /** Stands for a missing MAC or IP in a mapping key. */
    static final String NONE = "-";

    private final String prefix;

    /** @param prefix starts with {@code /}, does not end with one */
    KeyLayout(String prefix) {
        if (prefix.isEmpty() || prefix.charAt(0) != '/' || prefix.endsWith("/") || prefix.contains("//")) {
            throw new IllegalArgumentException("an etcd key prefix starts with '/', has no empty segment and does not end with '/': '"
                    + prefix + "'");
        }
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** Every key of the deployment starts with this. */
    String root() {
        return prefix + "/";
    }

    String vnById(VnId vn) {
        return prefix + "/vn/id/" + vn.value();
    }

    String vnByName(String name) {
        return prefix + "/vn/name/" + encode(name);
    }

    /** The next VNI that allocation by name tries. */
    String vnNext() {
        return prefix + "/vn/next";
    }

    String vnIdPrefix() {
        return prefix + "/vn/id/";
    }

    String nve(String nve) {
        return prefix + "/nve/" + encode(nve);
    }

    String mappingPrefix() {
        return prefix + "/map/";
    }

    String mapping(TsiMapping m, NvaView view) {
        return mappingPrefix() + viewName(view) + "/" + m.vn().value() + "/" + encode(m.nve()) + "/"
                + (m.mac() == null ? NONE : m.mac().toString()) + "/" + (m.ip() == null ? NONE : IpText.format(m.ip()));
    }

    /** A mapping key and what it names. */
    record MappingKey(TsiMapping mapping, NvaView view) {
    }

    /** What {@code key} names, or empty if it is not a well-formed mapping key of this layout. */
    Optional<MappingKey> parseMapping(String key) {
        if (!key.startsWith(mappingPrefix())) {
            return Optional.empty();
        }
        String[] s = key.substring(mappingPrefix().length()).split("/", -1);
        if (s.length != 5) {
            return Optional.empty();
        }
        try {
            NvaView view = view(s[0]);
            VnId vn = VnId.of(decimal(s[1]));
            String nve = decode(s[2]);
            MacAddress mac = s[3].equals(NONE) ? null : MacAddress.valueOf(s[3]);
            InetAddress ip = s[4].equals(NONE) ? null : IpText.parse(s[4]);
            if (view == null || nve.isEmpty() || (mac != null && !mac.toString().equals(s[3]))) {
                return Optional.empty();
            }
            TsiMapping m = new TsiMapping(vn, mac, ip, nve);
            // Only the one spelling this class writes is ours: "5001" and "05001" must not be two keys of one mapping.
            return key.equals(mapping(m, view)) ? Optional.of(new MappingKey(m, view)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The VN of a {@link #vnById} key, or empty. */
    Optional<VnId> parseVnId(String key) {
        if (!key.startsWith(vnIdPrefix())) {
            return Optional.empty();
        }
        try {
            VnId vn = VnId.of(decimal(key.substring(vnIdPrefix().length())));
            return key.equals(vnById(vn)) ? Optional.of(vn) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String viewName(NvaView view) {
        return switch (view) {
            case MAPPING -> "mapping";
            case FORWARDING -> "forwarding";
        };
    }

    private static NvaView view(String name) {
        return switch (name) {
            case "mapping" -> NvaView.MAPPING;
            case "forwarding" -> NvaView.FORWARDING;
            default -> null;
        };
    }

    /** A non-negative decimal without sign or leading zeros; IllegalArgumentException otherwise. */
    static int decimal(String s) {
        if (!s.matches("0|[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("not a decimal number: '" + s + "'");
        }
        return Integer.parseInt(s);
    }

    /**
     * Percent-encodes every octet of the UTF-8 form that is not an unreserved character of RFC 3986 section 2.3, so
     * the result holds no {@code /} and decodes to exactly the input.
     */
    static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                    || c == '~' || c == ':') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The inverse of {@link #encode}; IllegalArgumentException for a broken escape or bytes that are not UTF-8. */
    static String decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("broken percent escape in '" + text + "'");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("broken percent escape in '" + text + "'");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("unescaped non-ASCII character in '" + text + "'");
            }
        }
        byte[] bytes = out.toByteArray();
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes)) {
            throw new IllegalArgumentException("not UTF-8: '" + text + "'");
        }
        return s;
    }
}
