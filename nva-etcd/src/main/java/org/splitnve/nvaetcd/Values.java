package org.splitnve.nvaetcd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The values of the NVA's keys (docs/NVA-ETCD.md, "Values"), UTF-8 text that other tools read as easily as this one.
 * A VN context is lines {@code name=NAME}, then one {@code attribute.KEY=VALUE} per attribute, sorted by key, each
 * part percent-encoded as in {@link KeyLayout#encode}; a reader ignores lines it does not know, so later versions
 * may add some, and a value without a name is not a VN. A mapping's value is its holder count in decimal.
 */
final class Values {

    private static final String NAME = "name=";
    private static final String ATTRIBUTE = "attribute.";

    private Values() {
    }

    static String vn(VnContext ctx) {
        StringBuilder sb = new StringBuilder(NAME).append(KeyLayout.encode(ctx.name())).append('\n');
        new TreeMap<>(ctx.attributes()).forEach((k, v) ->
                sb.append(ATTRIBUTE).append(KeyLayout.encode(k)).append('=').append(KeyLayout.encode(v)).append('\n'));
        return sb.toString();
    }

    /** The context of {@code vn} that {@code value} describes, or empty if it is malformed. */
    static Optional<VnContext> vn(VnId vn, String value) {
        String name = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        try {
            for (String line : value.split("\n")) {
                if (line.startsWith(NAME)) {
                    name = KeyLayout.decode(line.substring(NAME.length()));
                } else if (line.startsWith(ATTRIBUTE)) {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        return Optional.empty();
                    }
                    attributes.put(KeyLayout.decode(line.substring(ATTRIBUTE.length(), eq)), KeyLayout.decode(line.substring(eq + 1)));
                }
            }
            return name == null || name.isBlank() ? Optional.empty() : Optional.of(new VnContext(vn, name, attributes));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String holders(int n) {
        return Integer.toString(n);
    }

    /** The holder count of a mapping value: a positive decimal, or -1 if malformed. */
    static int holders(String value) {
        try {
            int n = KeyLayout.decimal(value.strip());
            return n > 0 ? n : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
