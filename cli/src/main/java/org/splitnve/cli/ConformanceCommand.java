package org.splitnve.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.splitnve.conformance.Check;
import org.splitnve.conformance.ConformanceOptions;
import org.splitnve.conformance.ConformanceReport;
import org.splitnve.conformance.ConformanceSuite;
import org.splitnve.conformance.JunitXml;
import org.splitnve.conformance.PeerRole;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.vdpcore.MacAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitnve conformance --iface IF --role bridge|station}: runs the conformance suite against
 * the implementation on the other end of a NIC, playing the opposite role.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Runs the conformance suite against the VDP bridge or station reachable through a NIC, playing the opposite role:",
            "ECP (acks, duplicate suppression, retransmission, sequence wrap, bad version, subtype and operation ignored),",
            "EVB TLV negotiation, and VDP (every TLV type and filter format, null VID assignment, error codes, keep-alive and",
            "keep-alive timeout, M/S and the 0x80 echo, Associate to Pre-Associate, refusals). Prints pass, FAIL or n/a with a",
            "reason per check. A required feature the run could not test fails unless --lenient. Against a station, make it",
            "associate four VSIs while the suite waits (--wait): it follows the first and refuses the next three."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no check failed (with --lenient, some may not have been tested)",
            "1:at least one check failed",
            "2:usage error, missing NIC or libpcap, or the JUnit file could not be written"})
final class ConformanceCommand implements Callable<Integer> {

    @Option(names = "--iface", paramLabel = "IF", description = "the NIC facing the implementation under test (required unless --list)")
    String iface;

    @Option(names = "--only", paramLabel = "ID", split = ",",
            description = "against a bridge, run only these checks: IDs or prefixes such as ecp or vdp.error (comma-separated)")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "print the checks for the role, ID and what each asks, and exit")
    boolean list;

    @Option(names = "--role", required = true, paramLabel = "bridge|station", description = "the role of the implementation under test")
    String role;

    @Option(names = "--peer-mac", paramLabel = "MAC", description = "test this peer (default: the first EVB neighbour in that role)")
    String peerMac;

    @Option(names = "--junit", paramLabel = "FILE", description = "also write the results as JUnit XML")
    Path junit;

    @Option(names = "--vn", paramLabel = "VNI", defaultValue = "5001", description = "the VN (GroupID) the suite's requests use (default ${DEFAULT-VALUE})")
    int vn;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "against a station: how long to wait for its first VDP request (default ${DEFAULT-VALUE})")
    long waitSeconds;

    @Option(names = "--peer-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the peer's EVB TLV (default ${DEFAULT-VALUE})")
    long peerTimeoutSeconds;

    @Option(names = "--slack", paramLabel = "MS", defaultValue = "3000",
            description = "time allowed beyond the negotiated timers for an answer (default ${DEFAULT-VALUE})")
    long slackMillis;

    @Option(names = "--unicast", description = "send our ECPDUs to the peer's MAC instead of the nearest-customer-bridge address")
    boolean unicast;

    @Option(names = "--seed", paramLabel = "N", description = "seed for our first sequence number and VSI IDs (default: random)")
    Long seed;

    @Option(names = "--lenient", description = "count a required feature the run could not test as n/a instead of FAIL")
    boolean lenient;

    @Mixin
    NicOptions nic = new NicOptions();

    @Spec
    CommandSpec spec;

    private final Libpcap libpcap;

    ConformanceCommand() {
        this(Libpcap.system());
    }

    ConformanceCommand(Libpcap libpcap) {
        this.libpcap = libpcap;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConformanceOptions options;
        try {
            PeerRole peerRole = PeerRole.parse(role);
            LldpAgentConfig ours = nic.prologue(spec, peerRole == PeerRole.BRIDGE ? LldpAgentConfig.station() : LldpAgentConfig.bridge());
            ConformanceOptions.Builder b = ConformanceOptions.builder(peerRole).evbPolicy(ours.evbPolicy()).vn(vn)
                    .stationWait(Duration.ofSeconds(waitSeconds)).peerTimeout(Duration.ofSeconds(peerTimeoutSeconds))
                    .responseTimeout(Duration.ofMillis(slackMillis)).unicastEcp(unicast).lenient(lenient);
            if (peerMac != null) {
                b.peerMac(MacAddress.valueOf(peerMac));
            }
            if (seed != null) {
                b.seed(seed);
            }
            options = b.only(only).build();
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, e.getMessage());
        }
        if (list) {
            List<Check> checks = ConformanceSuite.list(options);
            checks.forEach(c -> out.printf("%-38s %s%n", c.id(), c.title()));
            out.flush();
            return 0;
        }
        if (iface == null) {
            throw Usage.error(spec, "--iface IF is required (or --list)");
        }
        if (!only.isEmpty()) {
            List<String> ids = ConformanceSuite.list(options).stream().map(Check::id).toList();
            List<String> unknown = only.stream().filter(p -> ids.stream().noneMatch(id -> id.equals(p) || id.startsWith(p + "."))).toList();
            if (!unknown.isEmpty()) {
                throw Usage.error(spec, "--only " + String.join(",", unknown) + " selects no check; see --list");
            }
        }
        if (junit != null && OutputFile.problem(junit) != null) {
            throw Usage.error(spec, "--junit " + junit + ": " + OutputFile.problem(junit));
        }
        PcapLink link = NicOptions.openLink(spec, libpcap, iface);
        ConformanceReport report;
        try (link) {
            out.printf("splitnve conformance: testing the %s on %s%s%n", options.role().label(), iface,
                    options.role() == PeerRole.STATION ? "; make it associate four VSIs within " + waitSeconds + " s" : "");
            out.flush();
            report = ConformanceSuite.run(link, options, r -> {
                out.printf("  %s  %-36s %s%n", r.verdict().tag(), r.id(), r.reason());
                out.flush();
            });
        }
        out.printf("%s %s on %s: %s%n", report.role().label(), report.peer(), iface, report.summary());
        if (junit != null) {
            try {
                JunitXml.write(report, junit);
            } catch (IOException e) {
                throw Usage.error(spec, "--junit " + junit + ": " + e.getMessage());
            }
        }
        return report.passed() ? 0 : 1;
    }
}
