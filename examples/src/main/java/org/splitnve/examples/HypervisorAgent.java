package org.splitnve.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.VirtualPort;
import org.splitnve.tnve.VmLifecycle;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The tNVE embedded in hypervisor tooling: VM lifecycle events as JSON lines in (with libvirt's 802.1Qbg
 * virtualport parameters), VDP on the NIC out, one JSON result line per input line.
 *
 * <p>The core ({@link #submit}) never blocks and never throws, so it runs as well in virtual time (tests) as on a
 * NIC ({@link #handle}, {@link #main}). Every line gets an answer: a line that cannot be understood or an event the
 * TSI's state does not allow is answered {@code "ok":false} with the reason, and leaves the agent as it was.
 */
public final class HypervisorAgent {

    private static final Logger LOG = LoggerFactory.getLogger(HypervisorAgent.class);
    private static final int MAX_LINE = 16 * 1024;

    private final Tnve tnve;
    private final VmLifecycle lifecycle;
    private final ObjectMapper json = new ObjectMapper();
    /** VMs this agent created or migrated in, by name; a VM leaves on shutdown or migration-done. */
    private final Map<String, Vm> vms = new ConcurrentHashMap<>();

    /** What the agent remembers of one VM: enough to name its TSI and find its VN's tag. */
    private record Vm(VirtualPort port, VnId vn) {
    }

    /** A line that cannot be acted on: answered {@code "ok":false}, nothing sent. */
    static final class BadLineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadLineException(String message) {
            super(message);
        }

        BadLineException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** @param tnve a started tNVE; the agent drives it through {@link VmLifecycle} */
    public HypervisorAgent(Tnve tnve) {
        this.tnve = Objects.requireNonNull(tnve, "tnve");
        this.lifecycle = new VmLifecycle(tnve);
    }

    /** The names of the VMs the agent holds a TSI for. */
    public List<String> vms() {
        return List.copyOf(vms.keySet());
    }

    /**
     * Acts on one input line. The future completes with the result line once the bridge answered (or the request
     * failed); it never completes exceptionally.
     */
    public CompletableFuture<String> submit(String line) {
        String vmName = null;
        String event = null;
        try {
            JsonNode in = parse(line);
            vmName = text(in, "vm");
            event = text(in, "event");
            CompletableFuture<Void> op = dispatch(event, vmName, in);
            String name = vmName;
            String ev = event;
            return op.handle((ok, failure) -> failure == null ? success(name, ev) : failure(name, ev, failure, true));
        } catch (RuntimeException e) {
            // BadLineException, InvalidVirtualPortException, IllegalArgumentException from a value, or an exception
            // the tNVE threw before sending anything: nothing changed, say why.
            return CompletableFuture.completedFuture(failure(vmName, event, e, false));
        }
    }

    /** {@link #submit}, waiting at most {@code timeout} for the answer (for a real scheduler, not virtual time). */
    public String handle(String line, Duration timeout) {
        CompletableFuture<String> f = submit(line);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return failure(null, null, new TimeoutException("no answer within " + timeout + " for: " + abbreviate(line)),
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(null, null, e, false);
        } catch (ExecutionException e) {
            // submit never fails its future; kept so a future change cannot lose a line.
            return failure(null, null, e.getCause(), false);
        }
    }

    private CompletableFuture<Void> dispatch(String event, String vmName, JsonNode in) {
        if (event == null) {
            throw new BadLineException("'event' is missing");
        }
        if (vmName == null || vmName.isEmpty()) {
            throw new BadLineException("'vm' is missing");
        }
        return switch (event) {
            case "create" -> start(vmName, in, false);
            case "migrate-in" -> start(vmName, in, true);
            case "pause" -> lifecycle.paused(known(vmName).port().vsiId());
            case "suspend" -> lifecycle.suspended(known(vmName).port().vsiId());
            case "resume" -> lifecycle.resumed(known(vmName).port().vsiId());
            case "migrate-out" -> lifecycle.migrateOut(known(vmName).port().vsiId());
            case "migration-done" -> forget(vmName, lifecycle.migrationCompleted(known(vmName).port().vsiId()));
            case "shutdown" -> forget(vmName, lifecycle.shutdown(known(vmName).port().vsiId()));
            default -> throw new BadLineException("unknown event '" + event + "'; one of create, migrate-in, pause, "
                    + "suspend, resume, migrate-out, migration-done, shutdown");
        };
    }

    /** create / migrate-in: the VM is known from now on, and forgotten again if its TSI could not be set up. */
    private CompletableFuture<Void> start(String vmName, JsonNode in, boolean migration) {
        Vm vm = new Vm(virtualPort(in), vn(in));
        TsiSpec spec = vm.port().toTsiSpec(vm.vn(), addresses(in));
        for (Map.Entry<String, Vm> e : vms.entrySet()) {
            if (e.getValue().port().instanceId().equals(vm.port().instanceId())) {
                throw new BadLineException("instanceid " + vm.port().instanceId() + " is already VM '" + e.getKey() + "'");
            }
        }
        if (vms.putIfAbsent(vmName, vm) != null) {
            throw new BadLineException("VM '" + vmName + "' already exists");
        }
        LOG.info("agent: VM {} {}, VSI {} on VN {}", vmName, migration ? "migrating in" : "created", spec.vsiId(),
                vm.vn().value());
        CompletableFuture<Void> op;
        try {
            op = migration ? lifecycle.migrateIn(spec) : lifecycle.created(spec);
        } catch (RuntimeException e) {
            vms.remove(vmName, vm);
            throw e;
        }
        return op.whenComplete((ok, failure) -> {
            if (failure != null) {
                // The VM must not start without its network; the hypervisor will retry with a new create.
                vms.remove(vmName, vm);
                LOG.warn("agent: VM {} not started, VSI {}: {}", vmName, spec.vsiId(), reason(failure));
            }
        });
    }

    private CompletableFuture<Void> forget(String vmName, CompletableFuture<Void> op) {
        return op.whenComplete((ok, failure) -> {
            if (failure == null) {
                vms.remove(vmName);
                LOG.info("agent: VM {} released", vmName);
            }
        });
    }

    private Vm known(String vmName) {
        Vm vm = vms.get(vmName);
        if (vm == null) {
            throw new BadLineException("unknown VM '" + vmName + "' (no create or migrate-in for it)");
        }
        return vm;
    }

    // ------------------------------------------------------------------ input

    private JsonNode parse(String line) {
        if (line == null || line.isBlank()) {
            throw new BadLineException("empty line");
        }
        if (line.length() > MAX_LINE) {
            throw new BadLineException("line of " + line.length() + " characters; at most " + MAX_LINE);
        }
        JsonNode in;
        try {
            in = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLineException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (in == null || !in.isObject()) {
            throw new BadLineException("a line is one JSON object");
        }
        return in;
    }

    private static String text(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadLineException("'" + field + "' is a string");
        }
        return n.asText();
    }

    private static VirtualPort virtualPort(JsonNode in) {
        JsonNode p = in.get("virtualport");
        if (p == null || !p.isObject()) {
            throw new BadLineException("'virtualport' is an object {managerid, typeid, typeidversion, instanceid}");
        }
        String id = text(p, "instanceid");
        if (id == null) {
            throw new BadLineException("virtualport.instanceid is missing");
        }
        UUID uuid;
        try {
            if (id.length() != 36) {
                throw new IllegalArgumentException("not 36 characters");
            }
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadLineException("virtualport.instanceid '" + id + "' is not a UUID", e);
        }
        // VirtualPort checks the ranges and throws InvalidVirtualPortException.
        return new VirtualPort(number(p, "managerid"), number(p, "typeid"), number(p, "typeidversion"), uuid);
    }

    /** A JSON integer, or a string in decimal or 0x hex as libvirt writes the parameters. */
    private static int number(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw new BadLineException("virtualport." + field + " is missing");
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual()) {
            String t = n.asText().trim();
            try {
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    return Integer.parseInt(t.substring(2), 16);
                }
                if (t.matches("[0-9]{1,10}")) {
                    return Integer.parseInt(t);
                }
            } catch (NumberFormatException e) {
                throw new BadLineException("virtualport." + field + " '" + t + "' is not a number", e);
            }
        }
        throw new BadLineException("virtualport." + field + " is not a number: " + n);
    }

    private static VnId vn(JsonNode in) {
        JsonNode n = in.get("vn");
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new BadLineException("'vn' is the VN ID, a number");
        }
        return VnId.of(n.intValue());
    }

    /** mac only: one MAC entry; mac and ips: one MAC/IP entry per IP; ips only: one IP entry each. */
    private static List<TsiAddress> addresses(JsonNode in) {
        String macText = text(in, "mac");
        MacAddress mac = macText == null ? null : MacAddress.valueOf(macText);
        List<InetAddress> ips = new ArrayList<>();
        JsonNode n = in.get("ips");
        if (n != null && !n.isNull()) {
            if (!n.isArray()) {
                throw new BadLineException("'ips' is an array of IP address strings");
            }
            for (JsonNode ip : n) {
                if (!ip.isTextual()) {
                    throw new BadLineException("'ips' holds strings, not " + ip);
                }
                ips.add(IpText.parse(ip.asText()));
            }
        }
        List<TsiAddress> out = TsiAddress.of(mac, ips);
        if (out.isEmpty()) {
            throw new BadLineException("a VM needs 'mac' or 'ips'");
        }
        return out;
    }

    // ------------------------------------------------------------------ output

    private String success(String vmName, String event) {
        ObjectNode out = json.createObjectNode();
        out.put("vm", vmName).put("event", event).put("ok", true);
        Vm vm = vms.get(vmName);
        if (vm != null) {
            out.put("state", tnve.state(vm.port().vsiId()).name());
            Optional<LocalTag> tag = tnve.localTag(vm.vn());
            if (tag.isPresent()) {
                out.put("localTag", tag.get().vid());
            } else {
                out.putNull("localTag");
            }
        } else {
            out.put("state", "INIT");
        }
        LOG.debug("agent: VM {} {} done: {}", vmName, event, out);
        return out.toString();
    }

    private String failure(String vmName, String event, Throwable failure, boolean sent) {
        String why = reason(failure);
        LOG.warn("agent: VM {} {} failed{}: {}", vmName, event, sent ? "" : " (nothing sent)", why);
        ObjectNode out = json.createObjectNode();
        out.put("vm", vmName).put("event", event).put("ok", false).put("error", why);
        Vm vm = vmName == null ? null : vms.get(vmName);
        if (vm != null) {
            out.put("state", tnve.state(vm.port().vsiId()).name());
        }
        return out.toString();
    }

    private static String reason(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 80 ? String.valueOf(s) : s.substring(0, 80) + "...";
    }

    // ------------------------------------------------------------------ on a NIC

    /**
     * {@code HypervisorAgent --iface IF [--bridge-mac MAC] [--evb-timeout SECONDS]}: a tNVE on the NIC, fed VM events on
     * standard input until end of input; VMs still held then are shut down. Exit 0, 1 if a line failed, 2 on a usage or
     * NIC problem.
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, () -> new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8))));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Supplier<BufferedReader> input) throws Exception {
        String iface = null;
        String bridgeMac = null;
        int evbTimeout = 30;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length || !a.startsWith("--")) {
                err.println("usage: HypervisorAgent --iface IF [--bridge-mac MAC] [--evb-timeout SECONDS]");
                return 2;
            }
            String v = args[++i];
            switch (a) {
                case "--iface" -> iface = v;
                case "--bridge-mac" -> bridgeMac = v;
                case "--evb-timeout" -> {
                    try {
                        evbTimeout = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        err.println("HypervisorAgent: --evb-timeout is a number of seconds, not '" + v + "'");
                        return 2;
                    }
                }
                default -> {
                    err.println("HypervisorAgent: unknown option " + a);
                    return 2;
                }
            }
        }
        if (iface == null) {
            err.println("usage: HypervisorAgent --iface IF [--bridge-mac MAC] [--evb-timeout SECONDS]");
            return 2;
        }
        try (RealScheduler scheduler = new RealScheduler("tnve-" + iface)) {
            PcapLink link;
            try {
                link = PcapLink.open(iface, EtherType.ECP, EtherType.LLDP);
            } catch (LinkException e) {
                err.println("HypervisorAgent: " + iface + ": " + e.getMessage());
                return 2;
            }
            try (VdpStack stack = VdpStack.station(link, scheduler, new SecureRandom().nextLong())) {
                Optional<MacAddress> heard = stack.awaitEvbPeer(EvbMode.BRIDGE, Duration.ofSeconds(evbTimeout));
                if (heard.isEmpty()) {
                    err.println("HypervisorAgent: no EVB bridge heard on " + iface + " within " + evbTimeout + " s");
                    return 2;
                }
                MacAddress bridge;
                try {
                    bridge = bridgeMac != null ? MacAddress.valueOf(bridgeMac) : heard.get();
                } catch (IllegalArgumentException e) {
                    err.println("HypervisorAgent: --bridge-mac: " + e.getMessage());
                    return 2;
                }
                try (Tnve tnve = Tnve.builder().channel(stack.channel()).timers(stack.timersSource()).bridge(bridge).build()
                        .start()) {
                    HypervisorAgent agent = new HypervisorAgent(tnve);
                    Duration wait = Duration.ofSeconds(60);
                    boolean failed = false;
                    BufferedReader in = input.get();
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.isBlank()) {
                            continue;
                        }
                        String result = agent.handle(line, wait);
                        failed |= result.contains("\"ok\":false");
                        out.println(result);
                        out.flush();
                    }
                    // End of input: the tooling is gone, so release what it left rather than let the bridge time it out.
                    for (String vm : agent.vms()) {
                        String result = agent.handle("{\"event\":\"shutdown\",\"vm\":" + agent.json.writeValueAsString(vm)
                                + "}", wait);
                        failed |= result.contains("\"ok\":false");
                        out.println(result);
                        out.flush();
                    }
                    return failed ? 1 : 0;
                }
            }
        }
    }
}
