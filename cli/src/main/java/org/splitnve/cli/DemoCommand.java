package org.splitnve.cli;

import static org.splitnve.cli.DemoNetwork.BLUE;
import static org.splitnve.cli.DemoNetwork.GREEN;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.splitnve.cli.DemoNetwork.DemoFailure;
import org.splitnve.cli.DemoNetwork.Hypervisor;
import org.splitnve.cli.DemoNetwork.NveNode;
import org.splitnve.cli.DemoNetwork.Vm;
import org.splitnve.cli.DemoTimeline.Check;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.VapView;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.DataPlaneCounters;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.vdpcore.vdp.TsiState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitnve demo}: the VM lifecycle of RFC 8394 section 2 (create, traffic, live migration
 * with M/S indication, pause, suspend, resume, shutdown) on two hypervisors and two nNVEs with
 * VXLAN between them, in one process and in virtual time over lossy in-memory links.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Runs the RFC 8394 section 2 VM lifecycle on an embedded Split-NVE network, in virtual time:",
            "two hypervisors (tNVE), two nNVEs (VDP + VXLAN data plane), VNs 5001 blue and 5002 green."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every step's checks held", "1:a check failed (listed at the end)", "2:usage error"})
final class DemoCommand implements Callable<Integer> {

    static final int FRAMES = 100;
    static final double MIN_DELIVERED = 0.9;

    @Spec
    CommandSpec spec;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write every frame on the hypervisor links and the underlay here")
    Path pcap;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the links' losses (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0.01",
            description = "probability that a hypervisor link loses a frame (default: ${DEFAULT-VALUE})")
    double loss;

    private DemoNetwork net;
    private DemoTimeline t;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!(loss >= 0 && loss < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--loss must be in [0, 1): " + loss);
        }
        out.printf("splitnve demo: seed %d, link loss %.3f%s%n", seed, loss, pcap == null ? "" : ", capture " + pcap);
        try (DemoNetwork n = new DemoNetwork(seed, loss, pcap, out)) {
            this.net = n;
            this.t = n.timeline;
            Hypervisor hv1 = n.hypervisor(1, "192.0.2.1");
            Hypervisor hv2 = n.hypervisor(2, "192.0.2.2");
            Vm vm1 = n.vm("vm1", 1, BLUE, hv1);
            Vm vm2 = n.vm("vm2", 2, BLUE, hv2);
            Vm vm3 = n.vm("vm3", 3, GREEN, hv1);
            // vm4 stays on hv1, so nve1 remains in VN blue while vm1 moves away.
            Vm vm4 = n.vm("vm4", 4, BLUE, hv1);
            t.note("hv1 <-> nve1 (192.0.2.1), hv2 <-> nve2 (192.0.2.2), VXLAN underlay; " + BLUE + " blue, " + GREEN + " green");

            create(List.of(vm1, vm2, vm3, vm4));
            traffic(vm1, vm2, vm3);
            migrate(vm1, vm2, hv1, hv2);
            pauseSuspendResume(vm1, vm2);
            shutdown();
            summary(out, n);
        }
        return t.failed().isEmpty() ? 0 : 1;
    }

    // ------------------------------------------------------------------ steps

    private void create(List<Vm> vms) {
        t.step("1 create", "VN_Connect, associate, activate every VM (VmLifecycle.created)");
        for (Vm vm : vms) {
            t.note("create " + vm.name + " in " + vm.vn + " on " + vm.host.name);
            op("create " + vm.name, () -> vm.host.lifecycle.created(vm.spec()));
        }
        for (NveNode nve : net.nves) {
            for (VapView v : nve.nnve.vaps()) {
                t.event(nve.name, "VN tag on " + v.port() + ": " + v.vn() + " (" + v.context().name() + ") = " + v.tag()
                        + ", " + v.associatedTsis() + " TSIs");
            }
        }
        for (Vm vm : vms) {
            t.check(vm.name + " is ACTIVATED at " + vm.host.name + " and " + vm.host.nve.name,
                    vm.host.tnve.state(vm.vsiId) == TsiState.ACTIVATED && nnveState(vm.host.nve, vm) == TsiState.ACTIVATED);
            Optional<VapView> vap = vm.host.nve.nnve.vap(vm.host.nve.port(), vm.vn);
            t.check(vm.host.name + " uses " + vm.host.nve.name + "'s tag for " + vm.vn,
                    vap.isPresent() && vm.host.tnve.localTag(vm.vn).equals(Optional.of(vap.get().tag())));
        }
        t.check("the NVA forwarding view holds the 4 VMs", net.nva.mappings(NvaView.FORWARDING).size() == vms.size());
    }

    private void traffic(Vm vm1, Vm vm2, Vm vm3) {
        t.step("2 traffic", "vm1 <-> vm2 across the overlay, " + FRAMES + " frames each way");
        long r1 = vm1.received.get();
        long r2 = vm2.received.get();
        long leaks = leaks();
        for (int i = 0; i < FRAMES; i++) {
            vm1.host.send(vm1, vm2, i);
            vm2.host.send(vm2, vm1, i);
            net.run(Duration.ofMillis(1));
        }
        net.run(Duration.ofMillis(100));
        long to2 = vm2.received.get() - r2;
        long to1 = vm1.received.get() - r1;
        t.note("vm1 -> vm2: " + to2 + "/" + FRAMES + " arrived; vm2 -> vm1: " + to1 + "/" + FRAMES);
        counters();
        t.check("at least 90% of vm1 -> vm2 arrived", to2 >= FRAMES * MIN_DELIVERED);
        t.check("at least 90% of vm2 -> vm1 arrived", to1 >= FRAMES * MIN_DELIVERED);
        t.check("both directions crossed the underlay in VXLAN",
                net.nves.stream().allMatch(n -> n.dataPlane.counters().count(Event.ENCAPSULATED) > 0
                        && n.dataPlane.counters().count(Event.DECAPSULATED) > 0));
        t.check("no frame reached a VM of another VN (vm3 got " + vm3.received.get() + ")",
                leaks() == leaks && vm3.received.get() == 0 && vm3.leaked.get() == 0);
    }

    private void migrate(Vm vm1, Vm vm2, Hypervisor from, Hypervisor to) {
        t.step("3 live migration", "vm1 from hv1/nve1 to hv2/nve2 with M/S indication, while vm2 keeps sending to vm1");
        NveNode nve1 = from.nve;
        NveNode nve2 = to.nve;
        Map<Event, Long> before1 = nve1.dataPlane.counters().eventSnapshot();
        long received = vm1.received.get();
        Stream stream = new Stream(net.clock, () -> vm2.host.send(vm2, vm1, 10_000 + (int) vm2.sent.get()), Duration.ofMillis(2));
        long sentBefore = vm2.sent.get();
        stream.start();
        net.run(Duration.ofMillis(20));

        t.note("hv1: migrateOut vm1 (deactivate, Pre-Associate with S)");
        op("migrateOut vm1", () -> from.lifecycle.migrateOut(vm1.vsiId));
        t.check("vm1 is ASSOCIATED (not forwarding) at nve1", nnveState(nve1, vm1) == TsiState.ASSOCIATED);
        t.check("vm1 left the NVA forwarding view", forwarding(vm1).isEmpty());
        net.run(Duration.ofMillis(20));

        t.note("hv2: migrateIn vm1 (Associate with M)");
        vm1.host = to;
        op("migrateIn vm1", () -> to.lifecycle.migrateIn(vm1.spec()));
        t.check("vm1 is ACTIVATED at nve2 (arrived by migration)", nnveState(nve2, vm1) == TsiState.ACTIVATED
                && nve2.nnve.tsis().stream().anyMatch(v -> v.key().vsiId().equals(vm1.vsiId) && v.migration()));
        t.check("vm1 is not ACTIVATED at nve1 once ACTIVATED at nve2", nnveState(nve1, vm1) != TsiState.ACTIVATED);
        net.run(Duration.ofMillis(50));

        t.note("hv1: migrationCompleted vm1 (De-Associate at the source)");
        op("migrationCompleted vm1", () -> from.lifecycle.migrationCompleted(vm1.vsiId));
        net.run(Duration.ofMillis(20));
        stream.stop();
        net.run(Duration.ofMillis(100));

        long sent = vm2.sent.get() - sentBefore;
        long got = vm1.received.get() - received;
        DataPlaneCounters c1 = nve1.dataPlane.counters();
        long held = c1.count(Event.MIGRATION_HELD) - before1.getOrDefault(Event.MIGRATION_HELD, 0L);
        long tunnelled = c1.count(Event.MIGRATION_TUNNELLED) - before1.getOrDefault(Event.MIGRATION_TUNNELLED, 0L);
        t.note("vm2 -> vm1 during the migration: " + got + "/" + sent + " arrived; nve1 held " + held + " and tunnelled "
                + tunnelled + " to nve2 during its migration hold");
        counters();
        t.check("vm1 is INIT at hv1 and nve1, ACTIVATED at hv2", from.tnve.state(vm1.vsiId) == TsiState.INIT
                && nnveState(nve1, vm1) == TsiState.INIT && to.tnve.state(vm1.vsiId) == TsiState.ACTIVATED);
        t.check("the NVA forwards vm1 to nve2 only", forwarding(vm1).equals(List.of(nve2.ip)));
        t.check("frames that reached nve1 during the hold were tunnelled to nve2", tunnelled > 0);
        t.check("at least 90% of vm2 -> vm1 arrived across the migration", sent > 0 && got >= sent * MIN_DELIVERED);
    }

    private void pauseSuspendResume(Vm vm1, Vm vm2) {
        Hypervisor hv = vm1.host;
        NveNode nve = hv.nve;
        t.step("4a pause", "no VDP operation, nothing changes");
        long requests = nve.nnve.counters().requests() - nve.nnve.counters().refreshes();
        op("pause vm1", () -> hv.lifecycle.paused(vm1.vsiId));
        net.run(Duration.ofSeconds(1));
        t.check("vm1 still ACTIVATED at hv2 and nve2, no request sent",
                hv.tnve.state(vm1.vsiId) == TsiState.ACTIVATED && nnveState(nve, vm1) == TsiState.ACTIVATED
                        && nve.nnve.counters().requests() - nve.nnve.counters().refreshes() == requests);
        long got = burst(vm2, vm1);
        t.check("traffic to paused vm1 still flows (" + got + "/" + FRAMES + ")", got >= FRAMES * MIN_DELIVERED);

        t.step("4b suspend", "deactivate: vm1 stays associated, its traffic is dropped");
        op("suspend vm1", () -> hv.lifecycle.suspended(vm1.vsiId));
        t.check("vm1 is ASSOCIATED at hv2 and nve2", hv.tnve.state(vm1.vsiId) == TsiState.ASSOCIATED
                && nnveState(nve, vm1) == TsiState.ASSOCIATED);
        t.check("vm1 left the NVA forwarding view", forwarding(vm1).isEmpty());
        // The data plane holds a deactivated TSI's frames for the migration hold (it might be moving); past it they drop.
        net.run(DemoNetwork.MIGRATION_HOLD.plusSeconds(1));
        long drops = totalDrops();
        long local = nve.dataPlane.counters().count(Event.DELIVERED_LOCAL);
        got = burst(vm2, vm1);
        long dropped = totalDrops() - drops;
        long delivered = nve.dataPlane.counters().count(Event.DELIVERED_LOCAL) - local;
        t.note("to suspended vm1: " + got + " arrived; nve2 delivered " + delivered + " locally, unknown unicast flooded to nve1; drops: "
                + net.nves.stream().map(x -> x.name + " " + nonZeroDrops(x)).collect(Collectors.joining(", ")));
        t.check("no frame reaches suspended vm1", got == 0 && delivered == 0);
        t.check("the frames for suspended vm1 were dropped (" + dropped + ")", dropped >= FRAMES * MIN_DELIVERED);

        t.step("4c resume", "activate again: traffic flows");
        op("resume vm1", () -> hv.lifecycle.resumed(vm1.vsiId));
        t.check("vm1 is ACTIVATED at hv2 and nve2", hv.tnve.state(vm1.vsiId) == TsiState.ACTIVATED
                && nnveState(nve, vm1) == TsiState.ACTIVATED);
        got = burst(vm2, vm1);
        t.check("traffic to resumed vm1 flows (" + got + "/" + FRAMES + ")", got >= FRAMES * MIN_DELIVERED);
    }

    private void shutdown() {
        t.step("5 shutdown", "every VM: deactivate, de-associate, VN_Disconnect");
        for (Vm vm : net.vms.values()) {
            t.note("shutdown " + vm.name + " on " + vm.host.name);
            op("shutdown " + vm.name, () -> vm.host.lifecycle.shutdown(vm.vsiId));
        }
        net.run(Duration.ofSeconds(1));
        t.check("every TSI is INIT at its hypervisor", net.vms.values().stream()
                .allMatch(vm -> net.hypervisors.stream().allMatch(h -> h.tnve.state(vm.vsiId) == TsiState.INIT)));
        t.check("every VN is disconnected at the hypervisors", net.hypervisors.stream()
                .allMatch(h -> h.tnve.localTag(BLUE).isEmpty() && h.tnve.localTag(GREEN).isEmpty()));
        for (NveNode nve : net.nves) {
            t.check(nve.name + " holds no TSI and no VN", nve.nnve.tsis().isEmpty() && nve.nnve.vaps().isEmpty());
            t.check(nve.name + " released its tags", List.of(BLUE, GREEN).stream()
                    .allMatch(vn -> nve.nnve.dataPlaneView().tagOfVn(nve.port(), vn).isEmpty()));
            t.check(nve.name + "'s data plane forwards for no TSI", nve.dataPlane.activeTsis().isEmpty());
        }
        t.check("the NVA's mapping and forwarding views are empty",
                net.nva.mappings(NvaView.MAPPING).isEmpty() && net.nva.mappings(NvaView.FORWARDING).isEmpty());
        t.check("no frame crossed from one VN to another during the run", leaks() == 0);
    }

    private void summary(PrintWriter out, DemoNetwork n) {
        out.println();
        out.println("== summary");
        for (Vm vm : n.vms.values()) {
            out.printf("  %-4s %-5s sent %4d, received %4d%n", vm.name, vm.vn.equals(BLUE) ? "blue" : "green",
                    vm.sent.get(), vm.received.get());
        }
        for (Hypervisor h : n.hypervisors) {
            out.printf("  %s: %d flooded copies for VMs elsewhere, %d frames across VNs%n", h.name, h.flooded.get(), h.leaked.get());
        }
        for (NveNode nve : n.nves) {
            out.printf("  %s data plane: %s%n", nve.name, nve.dataPlane.counters());
        }
        if (pcap != null) {
            out.printf("  capture: %d frames in %s%n", n.framesRecorded(), pcap);
        }
        List<Check> checks = t.checks();
        List<Check> failed = t.failed();
        if (failed.isEmpty()) {
            out.printf("all %d checks passed%n", checks.size());
        } else {
            out.printf("%d of %d checks FAILED:%n", failed.size(), checks.size());
            for (Check c : failed) {
                out.printf("  step %s: %s%n", c.step(), c.what());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs one lifecycle operation to its end in virtual time; a failure is a failed check. */
    private void op(String what, Supplier<CompletableFuture<?>> operation) {
        try {
            net.await(operation.get());
        } catch (DemoFailure | RuntimeException e) {
            t.check(what + " completed (" + e.getMessage() + ")", false);
        }
    }

    /** Sends {@link #FRAMES} frames from {@code from} to {@code to}; how many arrived. */
    private long burst(Vm from, Vm to) {
        long before = to.received.get();
        for (int i = 0; i < FRAMES; i++) {
            from.host.send(from, to, 20_000 + i);
            net.run(Duration.ofMillis(1));
        }
        net.run(Duration.ofMillis(100));
        return to.received.get() - before;
    }

    private static TsiState nnveState(NveNode nve, Vm vm) {
        return nve.nnve.tsis().stream().filter(v -> v.key().vsiId().equals(vm.vsiId)).map(TsiView::state).findFirst()
                .orElse(TsiState.INIT);
    }

    /** The NVEs the NVA's forwarding view maps the VM's MAC to. */
    private List<String> forwarding(Vm vm) {
        return net.nva.mappings(NvaView.FORWARDING).stream().filter(m -> m.vn().equals(vm.vn) && vm.mac.equals(m.mac()))
                .map(TsiMapping::nve).toList();
    }

    private long totalDrops() {
        return net.nves.stream().mapToLong(n -> n.dataPlane.counters().totalDrops()).sum();
    }

    private long leaks() {
        return net.hypervisors.stream().mapToLong(h -> h.leaked.get()).sum();
    }

    private void counters() {
        for (NveNode nve : net.nves) {
            t.event(nve.name, "data plane " + nve.dataPlane.counters());
        }
    }

    private static String nonZeroDrops(NveNode nve) {
        return nve.dataPlane.counters().dropSnapshot().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }

    /** A VM sending one frame every period on the scheduler until stopped. */
    private static final class Stream {
        private final Scheduler clock;
        private final Runnable send;
        private final Duration period;
        private volatile boolean running;

        Stream(Scheduler clock, Runnable send, Duration period) {
            this.clock = clock;
            this.send = send;
            this.period = period;
        }

        void start() {
            running = true;
            clock.schedule(period, this::tick);
        }

        void stop() {
            running = false;
        }

        private void tick() {
            if (running) {
                send.run();
                clock.schedule(period, this::tick);
            }
        }
    }
}
