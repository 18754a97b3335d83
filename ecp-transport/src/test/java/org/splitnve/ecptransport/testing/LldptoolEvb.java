package org.splitnve.ecptransport.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * Reads lldptool's view of an EVB TLV ({@code lldptool -t [-n] -i IF -g ncb -V evb}) back into an {@link EvbTlv}:
 *
 * <pre>
 * EVB Configuration TLV
 *     bridge:bgid,rrcap(0x6)
 *     station:sgid(0x8)
 *     retries:3 rte:8
 *     mode:bridge r/l:1 rwd:20
 *     r/l:1 rka:20
 * </pre>
 */
public final class LldptoolEvb {

    private static final Pattern BRIDGE = Pattern.compile("bridge:[a-z,]*\\((?:0x)?([0-9a-fA-F]+)\\)");
    private static final Pattern STATION = Pattern.compile("station:[a-z,]*\\((?:0x)?([0-9a-fA-F]+)\\)");
    private static final Pattern TIMERS = Pattern.compile("retries:(\\d+) rte:(\\d+)");
    private static final Pattern MODE = Pattern.compile("mode:(\\w+) r/l:(\\d) rwd:(\\d+)");
    private static final Pattern RKA = Pattern.compile("\\n\\s*r/l:(\\d) rka:(\\d+)");

    private LldptoolEvb() {
    }

    /** The TLV lldptool printed, or {@code null} when it printed none (no neighbour TLV yet). */
    public static EvbTlv parse(String output) {
        if (output == null || !output.contains("EVB Configuration TLV")) {
            return null;
        }
        Matcher bridge = find(BRIDGE, output);
        Matcher station = find(STATION, output);
        Matcher timers = find(TIMERS, output);
        Matcher mode = find(MODE, output);
        Matcher rka = find(RKA, output);
        return EvbTlv.builder()
                .bridgeStatus(Integer.parseInt(bridge.group(1), 16))
                .stationStatus(Integer.parseInt(station.group(1), 16))
                .r(Integer.parseInt(timers.group(1)))
                .rte(Integer.parseInt(timers.group(2)))
                .mode(mode(mode.group(1)))
                .rolRwd(mode.group(2).equals("1"))
                .rwd(Integer.parseInt(mode.group(3)))
                .rolRka(rka.group(1).equals("1"))
                .rka(Integer.parseInt(rka.group(2)))
                .build();
    }

    private static EvbMode mode(String text) {
        return switch (text) {
            case "bridge" -> EvbMode.BRIDGE;
            case "station" -> EvbMode.STATION;
            default -> {
                if (text.matches("\\d+")) {
                    yield EvbMode.valueOf(Integer.parseInt(text));
                }
                throw new IllegalArgumentException("unknown EVB mode in lldptool output: " + text);
            }
        };
    }

    private static Matcher find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("lldptool output lacks " + p.pattern() + ":\n" + text);
        }
        return m;
    }
}
