package org.splitnve.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationSourceEvent;
import org.splitnve.ecptransport.auth.PortAuthorizationListener;
import org.splitnve.ecptransport.auth.SupplicantAuthorization;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.link.ResilientLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.ResponseEvent;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TnveListener;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiEvent;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.VnEvent;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitnve station --iface IF --vsi FILE}: a tNVE on a NIC that associates the file's
 * VSIs, keeps them alive, and de-associates them on SIGTERM or SIGINT.
 */
@Command(name = "station", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Runs a tNVE (VDP station) on a NIC: LLDP with the EVB TLV in station mode (asking for GroupID), ECP, and VDP.",
            "Waits for an EVB bridge (unless --bridge-mac names it), associates every VSI of the file, keeps them alive, and",
            "de-associates them on SIGTERM or SIGINT. VSI file: a JSON array of {vsiId, managerId, typeId, typeVersion, vn, mac,",
            "ips, mode, migration}; a VSI with ips and no mac registers its IP addresses alone."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every VSI was associated, kept, and de-associated",
            "1:a VSI could not be associated or de-associated, or the port was never authenticated (see the events and",
            "  standard error)",
            "2:usage error, bad VSI file, --dot1x not a directory, missing NIC or libpcap, or no EVB bridge heard",
            "3:the NIC went down or away and did not come back within --nic-wait"})
final class StationCommand implements Callable<Integer> {

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "the NIC facing the bridge")
    String iface;

    @Option(names = "--vsi", required = true, paramLabel = "FILE", description = "JSON file of the VSIs to associate")
    Path vsiFile;

    @Option(names = "--bridge-mac", paramLabel = "MAC",
            description = "the bridge's MAC (default: the EVB bridge LLDP finds); given, the station does not wait for LLDP, which"
                    + " does not cross a bridged network")
    String bridgeMac;

    @Option(names = "--ecp-destination", paramLabel = "ncb|unicast|MAC",
            description = "where ECPDUs to the bridge go: ncb (01-80-C2-00-00-00, a direct link only), unicast (the bridge's MAC,"
                    + " across a bridged network too) or a group MAC the bridge listens to (not 01-80-C2-00-00-01..0F);"
                    + " default unicast with --bridge-mac, else ncb")
    String ecpDestination;
    @Option(names = "--dot1x", paramLabel = "DIR",
            description = {"IEEE 802.1X (RFC 8394 Req-11): no VDP until wpa_supplicant says the NIC's port is authenticated (with",
                "EAP-TLS: it has checked the bridge's certificate); stop while it is not, re-associate once it is again. DIR is",
                "wpa_supplicant's ctrl_interface (socket DIR/IF)"})
    String dot1x;

    @Option(names = "--evb-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for an EVB bridge (default ${DEFAULT-VALUE})")
    int evbTimeout;

    @Mixin
    NicOptions nic = new NicOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    CommandSpec spec;

    private final Libpcap libpcap;
    private final CountDownLatch stop;

    StationCommand() {
        this(Libpcap.system(), null);
    }

    /** @param stop counted down to stop the station (tests); null: stop on SIGTERM/SIGINT */
    StationCommand(Libpcap libpcap, CountDownLatch stop) {
        this.libpcap = libpcap;
        this.stop = stop;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LldpAgentConfig lldp = nic.prologue(spec, LldpAgentConfig.station());
        EventLog log = run.eventLog(spec, out);
        List<VsiFile.Entry> vsis;
        try {
            vsis = VsiFile.load(vsiFile);
        } catch (VsiFile.BadVsiFileException e) {
            throw Usage.error(spec, e.getMessage());
        }
        Path dot1xDir = dot1x == null ? null : Dot1xOptions.directory(spec, dot1x);
        MacAddress configuredBridge = null;
        if (bridgeMac != null) {
            try {
                configuredBridge = MacAddress.valueOf(bridgeMac);
            } catch (IllegalArgumentException e) {
                throw Usage.error(spec, "--bridge-mac: " + e.getMessage());
            }
        }
        EcpAddressing addressing = addressing(configuredBridge != null);
        ResilientLink.Retry nicRetry = run.nicRetry(spec);
        try (RealScheduler scheduler = new RealScheduler("tnve-" + iface)) {
            VdpStack stack = NicOptions.openStack(spec, libpcap, iface, lldp, EcpConfig.DEFAULT, scheduler, nicRetry);
            try (stack) {
                MacAddress bridge = configuredBridge;
                if (bridge == null) {
                    Optional<MacAddress> heard = stack.awaitEvbPeer(EvbMode.BRIDGE, Duration.ofSeconds(evbTimeout));
                    if (heard.isEmpty()) {
                        throw Usage.error(spec, "no EVB bridge heard on " + iface + " within " + evbTimeout + " s");
                    }
                    bridge = heard.get();
                }
                MacAddress b = bridge;
                log.emit("started", n -> n.put("role", "station").put("iface", iface).put("bridge", b.toString())
                        .put("ecpDestination", addressing.toString()));
                EventsOut events = new EventsOut(log);
                Tnve.Builder tb = Tnve.builder().channel(stack.channel()).timers(stack.timersSource()).groupIds(stack.groupIdSupport())
                        .bridge(bridge).addressing(addressing).listener(events);
                try (SupplicantAuthorization supplicant = dot1xDir == null ? null : SupplicantAuthorization.of(dot1xDir, iface);
                     Tnve tnve = (supplicant == null ? tb : tb.authentication(supplicant)).build().start()) {
                    CountDownLatch done = stop != null ? stop : Signals.latch();
                    NicLoss lost = NicLoss.watch(stack.link(), done);
                    if (supplicant != null) {
                        supplicant.addListener(events);
                        supplicant.start();
                        Dot1xOptions.awaitFirstAttach("wpa_supplicant", dot1xDir.resolve(iface), supplicant::awaitAttached);
                    }
                    boolean authenticated = awaitAuthenticated(tnve, done);
                    if (lost.happened()) {
                        return nicLost(lost, iface, log, err);
                    }
                    if (!authenticated) {
                        log.emit("stopped", n -> n.put("role", "station").put("iface", iface).put("failures", vsis.size()));
                        err.println("splitnve station: stopped before the port was authenticated (802.1X); no VDP was sent");
                        err.flush();
                        return 1;
                    }
                    int failures = associateAll(tnve, vsis, err, done, lost::happened);
                    done.await();
                    if (lost.happened()) {
                        return nicLost(lost, iface, log, err);
                    }
                    if (!tnve.authenticated()) {
                        // The bridge de-associated them when the port lost its authentication; nothing may be sent now.
                        err.println("splitnve station: the port is not authenticated (802.1X); VSIs not de-associated");
                        err.flush();
                    } else {
                        failures += deassociateAll(tnve, vsis, err);
                    }
                    int f = failures;
                    log.emit("stopped", n -> n.put("role", "station").put("iface", iface).put("failures", f));
                    return failures == 0 ? 0 : 1;
                }
            }
        }
    }

    /** docs/PROTOCOL.md 4.3: how ECPDUs reach the bridge. */
    private EcpAddressing addressing(boolean bridgeGiven) {
        String d = ecpDestination != null ? ecpDestination : bridgeGiven ? "unicast" : "ncb";
        return switch (d) {
            case "ncb" -> EcpAddressing.nearestCustomerBridge();
            case "unicast" -> EcpAddressing.unicast();
            default -> EcpAddressing.group(NicOptions.ecpGroup(spec, "--ecp-destination", d));
        };
    }

    /** Without --dot1x at once; with it, until the port is authenticated (true) or the station is stopped (false). */
    private static boolean awaitAuthenticated(Tnve tnve, CountDownLatch stop) throws InterruptedException {
        while (!tnve.authenticated()) {
            if (stop.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    private static int nicLost(NicLoss lost, String iface, EventLog log, PrintWriter err) {
        err.println("splitnve station: " + lost.line());
        err.flush();
        log.emit("stopped", n -> n.put("role", "station").put("iface", iface).put("nicLost", true));
        return NicLoss.EXIT;
    }

    /**
     * Associates every VSI. If the command is stopped first (a signal, the NIC gone), it stops waiting for their answers:
     * those not answered yet count as failed, and are reported unless {@code quiet} (the NIC gone says so in one line).
     */
    private static int associateAll(Tnve tnve, List<VsiFile.Entry> vsis, PrintWriter err, CountDownLatch stopped,
                                    BooleanSupplier quiet) throws InterruptedException {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (VsiFile.Entry e : vsis) {
            TsiSpec spec = spec(e);
            Migration m = switch (e.migration()) {
                case NONE -> Migration.NONE;
                case TO -> Migration.TO_THIS_STATION;
                case FROM -> Migration.FROM_THIS_STATION;
            };
            pending.add(e.mode() == VsiFile.Mode.ASSOCIATE ? tnve.activate(spec, m) : tnve.associate(spec, m));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
        while (!all.isDone()) {
            if (stopped.await(50, TimeUnit.MILLISECONDS)) {
                return stoppedWhileAssociating(pending, vsis, err, quiet.getAsBoolean());
            }
        }
        return await(pending, vsis, "associate", err);
    }

    private static int stoppedWhileAssociating(List<CompletableFuture<?>> pending, List<VsiFile.Entry> vsis, PrintWriter err,
                                               boolean quiet) {
        int unanswered = 0;
        for (int i = 0; i < pending.size(); i++) {
            if (!pending.get(i).isDone()) {
                unanswered++;
                if (!quiet) {
                    err.println("splitnve station: associate " + vsis.get(i).vsiId() + " failed: stopped before it was answered");
                }
            }
        }
        err.flush();
        return unanswered;
    }

    private static int deassociateAll(Tnve tnve, List<VsiFile.Entry> vsis, PrintWriter err) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (VsiFile.Entry e : vsis) {
            pending.add(tnve.deassociate(new VsiId.Uuid(e.vsiId())));
        }
        return await(pending, vsis, "de-associate", err);
    }

    private static int await(List<CompletableFuture<?>> pending, List<VsiFile.Entry> vsis, String what, PrintWriter err) {
        int failures = 0;
        for (int i = 0; i < pending.size(); i++) {
            try {
                pending.get(i).get(60, TimeUnit.SECONDS);
            } catch (Exception ex) {
                failures++;
                Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                err.println("splitnve station: " + what + " " + vsis.get(i).vsiId() + " failed: " + cause.getMessage());
            }
        }
        err.flush();
        return failures;
    }

    static TsiSpec spec(VsiFile.Entry e) {
        List<TsiAddress> addresses = TsiAddress.of(e.mac(), e.ips());
        return TsiSpec.builder().vsiId(new VsiId.Uuid(e.vsiId())).managerId(e.managerId()).typeId(e.typeId())
                .typeVersion(e.typeVersion()).vn(e.vn()).addresses(addresses).build();
    }

    /** Tnve events as JSON lines; the supplicant's attachment too. */
    private record EventsOut(EventLog log) implements TnveListener, PortAuthorizationListener {
        @Override
        public void onAuthentication(AuthorizationEvent e) {
            Dot1xOptions.emit(log, e);
        }

        @Override
        public void onAuthorization(AuthorizationEvent e) {
            // Told through onAuthentication, when it opens or closes the port for VDP.
        }

        @Override
        public void onSource(AuthorizationSourceEvent e) {
            Dot1xOptions.emit(log, e);
        }

        @Override
        public void onTsiState(TsiEvent e) {
            log.emit("tsi", n -> n.put("vsiId", e.vsiId().toString()).put("state", e.newState().name())
                    .put("previous", e.oldState().name()).put("bridge", String.valueOf(e.bridge())).put("why", e.why()));
        }

        @Override
        public void onResponse(ResponseEvent e) {
            log.emit("response", n -> {
                n.put("vsiId", e.vsiId().toString()).put("type", e.type().name()).put("error", e.error().value())
                        .put("keep", e.keep()).put("hardError", e.hardError()).put("migrationEchoed", e.migrationEchoed())
                        .put("bridge", String.valueOf(e.bridge()));
                if (e.tag() != null) {
                    n.put("localTag", e.tag().vid());
                } else {
                    n.putNull("localTag");
                }
                if (e.tlvErrors().size() > 1) {
                    var each = n.putArray("tlvErrors");
                    e.tlvErrors().forEach(x -> each.add(x.value()));
                }
            });
        }

        @Override
        public void onVn(VnEvent e) {
            log.emit("vn", n -> {
                n.put("vn", e.vn().value()).put("state", e.connected() ? "VN_CONNECTED" : "VN_DISCONNECTED")
                        .put("bridge", String.valueOf(e.bridge())).put("why", e.why());
                if (e.tag() != null) {
                    n.put("localTag", e.tag().vid());
                } else {
                    n.putNull("localTag");
                }
            });
        }

        @Override
        public void onBridgeDeassociate(VsiId vsiId, MacAddress bridge) {
            log.emit("bridgeDeassociate", n -> n.put("vsiId", vsiId.toString()).put("bridge", bridge.toString()));
        }

        @Override
        public void onBridgeDeactivate(VsiId vsiId, MacAddress bridge) {
            log.emit("bridgeDeactivate", n -> n.put("vsiId", vsiId.toString()).put("bridge", bridge.toString()));
        }

        @Override
        public void onBridgeRemovedAddresses(VsiId vsiId, MacAddress bridge, List<TsiAddress> removed) {
            log.emit("bridgeRemovedAddresses", n -> {
                n.put("vsiId", vsiId.toString()).put("bridge", bridge.toString());
                var each = n.putArray("removed");
                removed.forEach(a -> each.add(a.toString()));
            });
        }

        @Override
        public void onTagChanged(VnId vn, MacAddress bridge, LocalTag oldTag, LocalTag newTag) {
            log.emit("tagChanged", n -> n.put("vn", vn.value()).put("bridge", bridge.toString())
                    .put("previous", oldTag == null ? null : oldTag.vid()).put("localTag", newTag == null ? null : newTag.vid()));
        }

        @Override
        public void onPeerLost(MacAddress bridge, String why) {
            log.emit("peerLost", n -> n.put("bridge", bridge.toString()).put("why", why));
        }

        @Override
        public void onLegacyPeer(MacAddress bridge, String what) {
            log.emit("legacy", n -> n.put("bridge", bridge.toString()).put("what", what));
        }
    }
}
