package org.splitnve.vdpcore;

import java.nio.ByteBuffer;

/** Classic 16-octets-per-line hex dumps for error messages and logs. */
public final class HexDump {

    private HexDump() {
    }

    /**
     * Dumps {@code length} octets from absolute index {@code from}, marking the octet at {@code mark}
     * (relative to {@code from}) with brackets. Lines are labelled with absolute indexes.
     */
    public static String format(ByteBuffer buf, int from, int length, int mark) {
        StringBuilder sb = new StringBuilder(length * 4 + 16);
        for (int line = 0; line < length; line += 16) {
            if (line > 0) {
                sb.append('\n');
            }
            // Labelled with the index in the buffer, so that a dump of a window into a large frame
            // reads with the same offsets as the exception that carries it.
            sb.append(String.format("%04x ", from + line));
            for (int i = line; i < Math.min(length, line + 16); i++) {
                int b = buf.get(from + i) & 0xFF;
                sb.append(i == mark ? '[' : ' ');
                sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
                sb.append(i == mark ? ']' : ' ');
            }
        }
        return sb.toString();
    }

    public static String format(byte[] bytes) {
        return format(ByteBuffer.wrap(bytes), 0, bytes.length, -1);
    }

    /** Compact lower-case hex with no separators. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte v : bytes) {
            sb.append(Character.forDigit((v >>> 4) & 0xF, 16)).append(Character.forDigit(v & 0xF, 16));
        }
        return sb.toString();
    }

    /** Parses hex, ignoring white space, colons and dashes. */
    public static byte[] parse(String hex) {
        String h = hex.replaceAll("[\\s:\\-]", "");
        if (h.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(h.charAt(2 * i));
            int lo = digit(h.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: '" + h.substring(2 * i, 2 * i + 2) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Character.digit alone would also take non-ASCII digits such as U+0661. */
    static int digit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
