package org.splitnve.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.splitnve.cli.bench.Bench;
import org.splitnve.cli.bench.BenchLab;
import org.splitnve.cli.bench.BenchReport;
import org.splitnve.cli.bench.Requirements;
import org.splitnve.ecptransport.link.Libpcap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitnve bench}: associations per second (ours over veth, lldpad with vdptool), ECP round trip, VXLAN
 * encapsulation and decapsulation rate, in one run, as a table and as JSON. Traffic stays inside namespaces the
 * bench creates and removes, on every path including Ctrl-C.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Measures association rate, ECP round trip and VXLAN encap/decap rate in one run.",
            "Associations per second: our station to our bridge over a veth pair (all at once after warm-up rounds, over a"
                    + " 9000-octet MTU, and one at a time), next to lldpad to lldpad with one vdptool call per VSI from a script,"
                    + " and what starting one vdptool costs."
                    + " ECP round trip p50/p99 between two of our engines over a veth pair. Encapsulation and decapsulation"
                    + " of 1514-octet frames, on one core. Prints a table; --json writes the figures as JSON.",
            "Rows that need root, libpcap or lldpad/vdptool say 'not run' with the reason when it is missing. Traffic stays"
                    + " inside network namespaces the bench creates and removes, also on Ctrl-C."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every measurement that ran succeeded (slow figures included)", "1:a measurement failed",
            "2:usage error"})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--vsis", paramLabel = "N", defaultValue = "10000",
            description = "VSIs our station associates with our bridge (default: ${DEFAULT-VALUE})")
    int vsis;

    @Option(names = "--one-at-a-time", paramLabel = "N", defaultValue = "1000",
            description = "VSIs our station associates one at a time, like one vdptool call each (default: ${DEFAULT-VALUE})")
    int oneAtATime;

    @Option(names = "--lldpad-vsis", paramLabel = "N", defaultValue = "100",
            description = "VSIs lldpad's station associates, one vdptool call each (default: ${DEFAULT-VALUE})")
    int lldpadVsis;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = {"length of the ECP and codec loops, each after a warm-up of half that, at most 2 s (default: ${DEFAULT-VALUE});",
                "each rate offered in the data-plane rows lasts half of it, 1 to 5 s"})
    double seconds;

    @Option(names = "--json", paramLabel = "FILE|-",
            description = "write the figures as JSON to FILE, or to standard output with - (the table then goes to standard error)")
    String json;

    @Option(names = "--skip", paramLabel = "PART", split = ",",
            description = "leave out parts: ours, lldpad, ecp, codec, dataplane-ring, dataplane-pcap, forwarders, kernel-vxlan (comma-separated)")
    List<String> skip = new ArrayList<>();

    private final Libpcap libpcap;

    BenchCommand() {
        this(Libpcap.system());
    }

    BenchCommand(Libpcap libpcap) {
        this.libpcap = libpcap;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Bench.Settings settings = settings();
        Path jsonFile = jsonFile();
        boolean jsonToOut = "-".equals(json);
        PrintWriter tableTo = jsonToOut ? err : out;
        BenchReport report;
        try (BenchLab lab = BenchLab.guarded()) {
            Bench bench = new Bench(settings, new Requirements(libpcap), lab, line -> {
                err.println("bench: " + line);
                err.flush();
            });
            try {
                report = bench.run();
                tableTo.print(report.table());
                tableTo.flush();
                int code = report.anyFailed() ? 1 : 0;
                if (json != null) {
                    code = Math.max(code, writeJson(report, jsonToOut ? out : null, jsonFile, err));
                }
                return code;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    private Bench.Settings settings() {
        if (vsis < 1) {
            throw usage("--vsis must be at least 1: " + vsis);
        }
        if (oneAtATime < 1) {
            throw usage("--one-at-a-time must be at least 1: " + oneAtATime);
        }
        if (lldpadVsis < 1 || lldpadVsis > 0xFFFF) {
            throw usage("--lldpad-vsis must be 1..65535: " + lldpadVsis);
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw usage("--seconds must be more than 0 and at most 3600: " + seconds);
        }
        Set<Bench.Part> parts = EnumSet.noneOf(Bench.Part.class);
        for (String s : skip) {
            Optional<Bench.Part> p = Bench.Part.of(s);
            if (p.isEmpty()) {
                throw usage("--skip takes " + Arrays.stream(Bench.Part.values()).map(Bench.Part::option).collect(Collectors.joining(", "))
                        + ", not '" + s + "'");
            }
            parts.add(p.get());
        }
        return new Bench.Settings(vsis, oneAtATime, lldpadVsis, Duration.ofNanos((long) (seconds * 1e9)), parts);
    }

    /** The file --json names, checked before the long run rather than after it; null for none or standard output. */
    private Path jsonFile() {
        if (json == null || json.equals("-")) {
            return null;
        }
        if (json.isBlank()) {
            throw usage("--json needs a file name or -");
        }
        Path f = Path.of(json);
        String problem = OutputFile.problem(f);
        if (problem != null) {
            throw usage("--json " + json + ": " + problem);
        }
        return f;
    }

    private static int writeJson(BenchReport report, PrintWriter toOut, Path file, PrintWriter err) {
        try {
            if (toOut != null) {
                report.writeJson(toOut);
            } else {
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    report.writeJson(w);
                }
            }
            return 0;
        } catch (IOException e) {
            err.println("splitnve bench: cannot write " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return Usage.error(spec, message);
    }
}
