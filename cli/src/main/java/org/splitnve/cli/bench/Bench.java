package org.splitnve.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.bench.EcpBench;
import org.splitnve.ecptransport.link.Link;

/**
 * The rows of {@code splitnve bench}, one after the other: each checks what it needs from the machine first and
 * becomes "not run" with the reason when something is missing, so that the others still run; a measurement that
 * throws becomes "failed". Figures are reported, never judged.
 */
public final class Bench {

    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);

    public static final String ASSOCIATIONS_OURS = "associations-ours";
    public static final String ASSOCIATIONS_OURS_JUMBO = "associations-ours-9000";
    public static final String ASSOCIATIONS_OURS_ONE_AT_A_TIME = "associations-ours-one-at-a-time";
    public static final String ASSOCIATIONS_LLDPAD = "associations-lldpad";
    public static final String VDPTOOL_START = "vdptool-start";
    public static final String ECP_ROUND_TRIP = "ecp-round-trip";
    public static final String ENCAP = "encap";
    public static final String DECAP = "decap";

    /** The frame lengths (untagged) of the data-plane rows. */
    public static final List<Integer> DATA_PLANE_OCTETS = List.of(64, 1514);

    /** Every row, in the order they run and print. */
    public static final List<String> ROWS = rows();

    private static List<String> rows() {
        List<String> rows = new ArrayList<>(List.of(ASSOCIATIONS_OURS, ASSOCIATIONS_OURS_JUMBO, ASSOCIATIONS_OURS_ONE_AT_A_TIME,
                ASSOCIATIONS_LLDPAD, VDPTOOL_START, ECP_ROUND_TRIP, ENCAP, DECAP));
        for (ForwardingPaths p : ForwardingPaths.values()) {
            for (int octets : DATA_PLANE_OCTETS) {
                rows.add(dataPlaneRow(p, octets));
            }
        }
        return List.copyOf(rows);
    }

    static String dataPlaneRow(ForwardingPaths path, int octets) {
        return path.row() + "-" + octets;
    }

    private static final String PER_SECOND = "associations/s";
    private static final String MILLISECONDS = "ms";
    private static final String MICROSECONDS = "us";
    /** Warm-up rounds before the timed round of {@value #ASSOCIATIONS_OURS}; its JIT-cold rate is the first one's. */
    static final int WARMUP_ROUNDS = 3;
    /** The MTU of the veth pair of {@value #ASSOCIATIONS_OURS_JUMBO}. */
    static final int JUMBO_MTU = 9000;
    private static final String FRAMES = "frames/s";
    private static final Duration MAX_WARMUP = Duration.ofSeconds(2);

    /** What {@code --skip} names: groups of rows. */
    public enum Part {
        OURS("ours"), LLDPAD("lldpad"), ECP("ecp"), CODEC("codec"), DATAPLANE_RING("dataplane-ring"), DATAPLANE_PCAP("dataplane-pcap"),
        FORWARDERS("forwarders"), KERNEL_VXLAN("kernel-vxlan");

        private final String option;

        Part(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }

        /** The part named {@code text} on the command line. */
        public static Optional<Part> of(String text) {
            for (Part p : values()) {
                if (p.option.equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One run's settings.
     *
     * @param vsis       VSIs for our station and bridge, all at once
     * @param oneAtATime VSIs for our station and bridge, one in flight at a time
     * @param lldpadVsis VSIs for lldpad, one vdptool call each
     * @param run        length of the ECP and codec loops, each after its own warm-up
     */
    public record Settings(int vsis, int oneAtATime, int lldpadVsis, Duration run, Set<Part> skip) {
        public Settings {
            skip = skip.isEmpty() ? EnumSet.noneOf(Part.class) : EnumSet.copyOf(skip);
        }

        /** How long each offered rate of a data-plane row lasts: half the run, 1 to 5 s. */
        public Duration dataPlaneStep() {
            Duration half = run.dividedBy(2);
            return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                    : half.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : half;
        }

        /** Half the run, at most two seconds: enough for the JIT to compile the loop's path. */
        public Duration warmup() {
            Duration half = run.dividedBy(2);
            return half.compareTo(MAX_WARMUP) < 0 ? half : MAX_WARMUP;
        }
    }

    /** A measurement's body: the row when it succeeds; an exception is a failure. */
    private interface Body {
        Measurement run() throws Exception;
    }

    private final Settings settings;
    private final Requirements requirements;
    private final BenchLab lab;
    private final Consumer<String> progress;
    /** The lldpad row's run, which the vdptool start row reports from; null until it succeeded. */
    private LldpadRate.Result lldpad;

    /** @param progress receives one line as each row starts (the bench takes a while) */
    public Bench(Settings settings, Requirements requirements, BenchLab lab, Consumer<String> progress) {
        this.settings = settings;
        this.requirements = requirements;
        this.lab = lab;
        this.progress = progress;
    }

    public BenchReport run() {
        List<Measurement> rows = new ArrayList<>();
        rows.add(row(ASSOCIATIONS_OURS, PER_SECOND, Part.OURS,
                Requirements.first(requirements.root(), requirements.commands("ip"), requirements.libpcap()),
                settings.vsis() + " VSIs, our station to our bridge, after " + WARMUP_ROUNDS + " warm-up rounds",
                () -> ours(ASSOCIATIONS_OURS, Link.STANDARD_MTU, WARMUP_ROUNDS)));
        rows.add(row(ASSOCIATIONS_OURS_JUMBO, PER_SECOND, Part.OURS,
                Requirements.first(requirements.root(), requirements.commands("ip"), requirements.libpcap()),
                settings.vsis() + " VSIs, our station to our bridge over a " + JUMBO_MTU + "-octet MTU",
                () -> ours(ASSOCIATIONS_OURS_JUMBO, JUMBO_MTU, 1)));
        rows.add(row(ASSOCIATIONS_OURS_ONE_AT_A_TIME, PER_SECOND, Part.OURS,
                Requirements.first(requirements.root(), requirements.commands("ip"), requirements.libpcap()),
                settings.oneAtATime() + " VSIs, our station to our bridge, one in flight at a time", this::oursOneAtATime));
        Optional<String> lldpadUnmet = Requirements.first(requirements.root(),
                requirements.commands("ip", "unshare", "mount", "sh", "lldpad", "lldptool", "vdptool"));
        rows.add(row(ASSOCIATIONS_LLDPAD, PER_SECOND, Part.LLDPAD, lldpadUnmet,
                settings.lldpadVsis() + " VSIs, lldpad to lldpad with vdptool", this::lldpad));
        rows.add(row(VDPTOOL_START, MILLISECONDS, Part.LLDPAD, lldpadUnmet.or(() -> lldpad == null
                ? Optional.of("measured with " + ASSOCIATIONS_LLDPAD + ", which did not succeed") : Optional.empty()),
                "starting one vdptool", this::vdptoolStart));
        rows.add(row(ECP_ROUND_TRIP, MICROSECONDS, Part.ECP,
                Requirements.first(requirements.root(), requirements.commands("ip"), requirements.libpcap()),
                "ECP round trip for " + seconds(settings.run()), this::ecp));
        rows.add(row(ENCAP, FRAMES, Part.CODEC, Optional.empty(), "encapsulation for " + seconds(settings.run()),
                () -> codec(ENCAP, CodecRate.encapsulate(lab, settings.warmup(), settings.run()), "tagged frame in, VXLAN/IPv4 out")));
        rows.add(row(DECAP, FRAMES, Part.CODEC, Optional.empty(), "decapsulation for " + seconds(settings.run()),
                () -> codec(DECAP, CodecRate.decapsulate(lab, settings.warmup(), settings.run()), "VXLAN/IPv4 in, tagged frame out")));
        for (ForwardingPaths path : ForwardingPaths.values()) {
            for (int octets : DATA_PLANE_OCTETS) {
                String name = dataPlaneRow(path, octets);
                rows.add(row(name, FRAMES, part(path), dataPlaneRequirements(path),
                        path.description() + ", " + octets + "-octet frames, rates from trafgen", () -> dataPlane(name, path, octets)));
            }
        }
        return new BenchReport(rows);
    }

    private Measurement row(String name, String unit, Part part, Optional<String> unmet, String what, Body body) {
        if (settings.skip().contains(part)) {
            return Measurement.notRun(name, unit, "skipped (--skip " + part.option() + ")");
        }
        if (lab.cancelled()) {
            return Measurement.notRun(name, unit, "interrupted by a signal");
        }
        if (unmet.isPresent()) {
            return Measurement.notRun(name, unit, unmet.get());
        }
        progress.accept(name + ": " + what + " ...");
        try {
            return body.run();
        } catch (Exception | LinkageError e) {
            if (lab.cancelled()) {
                return Measurement.notRun(name, unit, "interrupted by a signal");
            }
            LOG.debug("{} failed", name, e);
            return Measurement.failed(name, unit, message(e));
        }
    }

    private Measurement ours(String name, int mtu, int warmups) throws Exception {
        AssociationRate.Result r = AssociationRate.ours(lab, settings.vsis(), mtu, warmups);
        return Measurement.ok(name, r.perSecond(), PER_SECOND,
                String.format(Locale.ROOT, "splitnve station -> splitnve bridge over veth (pcap, MTU %d): %,d VSIs at once in %.3f s,"
                                + " %,d VDPDUs, after %d warm-up round%s (the first, JIT cold: %s/s)", mtu, r.vsis(), r.seconds(), r.pdus(),
                        warmups, warmups == 1 ? "" : "s", BenchReport.number(r.coldPerSecond())),
                figures("vsis", r.vsis(), "seconds", r.seconds(), "vdpdus", r.pdus(), "mtu", mtu, "warmupRounds", warmups,
                        "coldPerSecond", r.coldPerSecond()));
    }

    private Measurement oursOneAtATime() throws Exception {
        AssociationRate.Result r = AssociationRate.oursOneAtATime(lab, settings.oneAtATime());
        return Measurement.ok(ASSOCIATIONS_OURS_ONE_AT_A_TIME, r.perSecond(), PER_SECOND,
                String.format(Locale.ROOT, "splitnve station -> splitnve bridge over veth (pcap), each VSI answered before the next"
                        + " is asked, like one vdptool call per VSI: %,d VSIs in %.3f s, %,d VDPDUs", r.vsis(), r.seconds(), r.pdus()),
                figures("vsis", r.vsis(), "seconds", r.seconds(), "vdpdus", r.pdus()));
    }

    private Measurement lldpad() {
        LldpadRate.Result r = LldpadRate.measure(lab, settings.lldpadVsis());
        lldpad = r;
        return Measurement.ok(ASSOCIATIONS_LLDPAD, r.perSecond(), PER_SECOND,
                String.format(Locale.ROOT, "lldpad station -> lldpad bridge over veth, one vdptool -W call per VSI from a script in the"
                                + " namespace: %d VSIs in %.3f s; %s/s without each vdptool's start (%s ms, row %s)", r.vsis(), r.seconds(),
                        BenchReport.number(r.perSecondWithoutProcessStart()), BenchReport.number(r.vdptoolStartMillis()), VDPTOOL_START),
                figures("vsis", r.vsis(), "seconds", r.seconds(), "perSecondWithoutProcessStart", r.perSecondWithoutProcessStart(),
                        "vdptoolStartMillis", r.vdptoolStartMillis(), "netnsExecMillis", r.netnsExecMillis()));
    }

    private Measurement vdptoolStart() {
        LldpadRate.Result r = lldpad;
        return Measurement.ok(VDPTOOL_START, r.vdptoolStartMillis(), MILLISECONDS,
                String.format(Locale.ROOT, "starting one vdptool process that connects to lldpad and exits (vdptool -v), from a script in"
                                + " the namespace, mean of %d; part of every call of %s; running the script took one ip netns exec, %s ms",
                        r.vsis(), ASSOCIATIONS_LLDPAD, BenchReport.number(r.netnsExecMillis())),
                figures("calls", r.vsis(), "netnsExecMillis", r.netnsExecMillis()));
    }

    private Measurement ecp() throws Exception {
        EcpBench.Result r = EcpRoundTrip.overVeth(lab, settings.warmup(), settings.run());
        if (r.exchanges() == 0) {
            throw new IllegalStateException("no ECP exchange completed in " + seconds(settings.run()));
        }
        double p50 = r.p50Nanos() / 1e3;
        double p99 = r.p99Nanos() / 1e3;
        return Measurement.ok(ECP_ROUND_TRIP, p50, MICROSECONDS,
                String.format(Locale.ROOT, "p50 %s us (the value), p99 %s us; splitnve <-> splitnve over veth (pcap), one PDU in flight:"
                                + " %,d exchanges, %s/s, %d retransmissions, %d failed",
                        BenchReport.number(p50), BenchReport.number(p99), r.exchanges(), BenchReport.number(r.perSecond()),
                        r.retransmissions(), r.failures()),
                figures("p50", p50, "p99", p99, "p999", r.p999Nanos() / 1e3, "max", r.maxNanos() / 1e3,
                        "exchanges", r.exchanges(), "exchangesPerSecond", r.perSecond(), "seconds", r.seconds(),
                        "retransmissions", r.retransmissions(), "failed", r.failures()));
    }

    private static Part part(ForwardingPaths path) {
        return switch (path) {
            case DATAPLANE_RING -> Part.DATAPLANE_RING;
            case DATAPLANE_PCAP -> Part.DATAPLANE_PCAP;
            case RING_FORWARDER, PCAP_FORWARDER -> Part.FORWARDERS;
            case KERNEL_VXLAN -> Part.KERNEL_VXLAN;
        };
    }

    private Optional<String> dataPlaneRequirements(ForwardingPaths path) {
        Optional<String> base = Requirements.first(requirements.root(), requirements.commands("ip", "trafgen"));
        return switch (path) {
            case DATAPLANE_RING -> Requirements.first(base, requirements.libpcap(), requirements.rings());
            case RING_FORWARDER -> Requirements.first(base, requirements.rings());
            case DATAPLANE_PCAP, PCAP_FORWARDER -> Requirements.first(base, requirements.libpcap());
            case KERNEL_VXLAN -> base;
        };
    }

    private Measurement dataPlane(String name, ForwardingPaths path, int octets) throws Exception {
        DataPlaneRate.Result r = DataPlaneRate.measure(lab, path, octets, settings.dataPlaneStep());
        Map<String, Number> f = figures("octets", octets, "lossFreeRate", r.lossFreeRate(), "peakForwarded", r.peakForwarded(),
                "stepSeconds", settings.dataPlaneStep().toMillis() / 1e3);
        for (DataPlaneRate.Step s : r.steps()) {
            f.put("offered@" + s.asked(), s.offered());
            f.put("forwarded@" + s.asked(), s.forwarded());
            f.put("lossPercent@" + s.asked(), 100 * s.loss());
        }
        return Measurement.ok(name, r.lossFreeRate(), FRAMES,
                String.format(Locale.ROOT, "no loss (< 0.1 %%) up to the value; peak %s frames/s forwarded; ended by %s; %s; "
                                + "offered -> forwarded (loss): %s", BenchReport.number(r.peakForwarded()), r.why(), path.description(),
                        r.stepsText()),
                f);
    }

    private static Measurement codec(String name, CodecRate.Result r, String what) {
        return Measurement.ok(name, r.framesPerSecond(), FRAMES,
                String.format(Locale.ROOT, "%s ns/frame; %s, %d-octet frames, one core: %,d frames in %.2f s",
                        BenchReport.number(r.nanosPerFrame()), what, CodecRate.FRAME, r.frames(), r.seconds()),
                figures("nsPerFrame", r.nanosPerFrame(), "frameOctets", CodecRate.FRAME, "frames", r.frames(),
                        "seconds", r.seconds()));
    }

    private static Map<String, Number> figures(Object... keysAndValues) {
        Map<String, Number> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (Number) keysAndValues[i + 1]);
        }
        return m;
    }

    private static String seconds(Duration d) {
        return BenchReport.number(d.toMillis() / 1e3) + " s";
    }

    /** One line: the exception's message, or its type when it has none, with the first cause that adds something. */
    static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
            m += " (" + c.getMessage() + ")";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
