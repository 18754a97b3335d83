package org.splitnve.cli;

/** {@code LO-HI} VID ranges of the command line. */
final class VidRange {

    private VidRange() {
    }

    /** {lo, hi}, or null when the text is not a range within 1..4094. */
    static int[] parse(String text) {
        if (text == null || !text.matches("\\d{1,4}-\\d{1,4}")) {
            return null;
        }
        String[] p = text.split("-");
        int lo = Integer.parseInt(p[0]);
        int hi = Integer.parseInt(p[1]);
        return lo >= 1 && lo <= hi && hi <= 4094 ? new int[] {lo, hi} : null;
    }
}
