package org.splitnve.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads capture files with tshark, for assertions on framing (Ethernet, VLAN, LLDP, IP, VXLAN). Its ECP/VDP
 * dissector follows an 802.1Qbg draft and mis-decodes the ratified format, so do not use it to check VDP content.
 */
public final class Tshark {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Tshark() {
    }

    /** tshark's one-line-per-frame summary of the whole file, as {@code tshark -r FILE} prints it. */
    public static String summary(Path pcap) {
        return tshark(pcap, null);
    }

    /** The summary lines of the frames that match a display filter such as {@code "eth.type == 0x8940"}. */
    public static List<String> frames(Path pcap, String displayFilter) {
        return tshark(pcap, displayFilter).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The number of frames that match a display filter. */
    public static int count(Path pcap, String displayFilter) {
        return frames(pcap, displayFilter).size();
    }

    /**
     * Runs tshark with name resolution off ({@code -n}), so output does not depend on the machine's hosts or
     * manufacturer files and no lookup leaves the machine.
     */
    private static String tshark(Path pcap, String displayFilter) {
        List<String> command = new ArrayList<>(List.of(Executables.resolve("tshark"), "-n", "-r", pcap.toString()));
        if (displayFilter != null) {
            command.add("-Y");
            command.add(displayFilter);
        }
        return Commands.exec(command, TIMEOUT);
    }
}
