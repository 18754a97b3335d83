package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The nNVE control plane (RFC 8394 sections 3 and 4 on VDP): a VDP bridge on each port added,
 * the VAP and TSI state machines, local tags, the NVA and the authorization policy.
 *
 * <p>All ports must share one {@link Scheduler} (that of the first port's channel): tag domains and
 * TSI limits span ports, and all protocol state lives on that one thread. Public methods may be
 * called from any thread; views are snapshots that never wait for the protocol thread.
 */
public final class Nnve implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Nnve.class);

    private final Nva nva;
    private final AuthorizationPolicy policy;
    private final NnveConfig config;
    private final Counters counters = new Counters();
    private final PortOwner owner = new Owner();
    private final LocalTagPool sharedPool;
    private final ConcurrentHashMap<String, NnvePort> ports = new ConcurrentHashMap<>();
    private final NnveListeners listeners = new NnveListeners(counters);
    private final AtomicInteger total = new AtomicInteger();
    private final DataPlaneView dataPlaneView = new PortsView(ports, this::tsis, listeners);
    private volatile Scheduler scheduler;
    private volatile boolean closed;

    private Nnve(Builder b) {
        this.nva = Objects.requireNonNull(b.nva, "nva is required");
        this.policy = b.policy;
        this.config = b.config;
        this.sharedPool = config.tagDomain() == TagDomain.SHARED ? new LocalTagPool(config.firstTag(), config.lastTag()) : null;
        if (!config.faults().isEmpty()) {
            LOG.warn("nnve {}: deliberate defects {} switched on: this bridge is broken on purpose, for conformance mutation tests only",
                    config.nveName(), config.faults());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public NnveConfig config() {
        return config;
    }

    /**
     * Serves VDP on a port without EVB negotiation to consult: filter formats with a GroupID are taken from every
     * station. The port's name is the channel's; names are unique.
     *
     * @param timers read at each use (e.g. {@code () -> VdpTimers.of(lldpAgent.operating())}), so
     *               renegotiated EVB values apply to the next keep-alive sweep and resource wait
     * @throws IllegalArgumentException if the name is taken or the channel runs on another scheduler
     */
    public synchronized NnvePort addPort(VdpChannel channel, Supplier<VdpTimers> timers) {
        return addPort(channel, timers, station -> true);
    }

    /**
     * Serves VDP on a port whose EVB negotiation says, per station, whether filter formats with a GroupID may be used
     * (docs/PROTOCOL.md section 2; {@code VdpStack.groupIdSupport()}); a request in such a format from a station that
     * may not use them is refused with error 1.
     *
     * @throws IllegalArgumentException as {@link #addPort(VdpChannel, Supplier)}
     */
    public synchronized NnvePort addPort(VdpChannel channel, Supplier<VdpTimers> timers, Predicate<MacAddress> groupIds) {
        Objects.requireNonNull(timers, "timers");
        return addPort(channel, station -> timers.get(), groupIds, null);
    }

    /**
     * Serves VDP on a port, Req-11: only to the stations {@code authorization} has authorized there (IEEE 802.1X
     * through hostapd, or anything that feeds an {@code AuthorizationTable}); see {@link PortAdmission}. The
     * authorization belongs to the caller, who closes it after the nNVE. Null: every station is served.
     *
     * @throws IllegalArgumentException as {@link #addPort(VdpChannel, Supplier)}
     */
    public synchronized NnvePort addPort(VdpChannel channel, Supplier<VdpTimers> timers, PortAuthorization authorization) {
        Objects.requireNonNull(timers, "timers");
        return addPort(channel, station -> timers.get(), station -> true, authorization);
    }

    /**
     * As {@link #addPort(VdpChannel, Supplier, Predicate)}, each station with its own timers (Req-2;
     * {@code VdpStack.peerTimers()}): a neighbour that negotiated long timers keeps only its own TSIs longer.
     */
    public synchronized NnvePort addPort(VdpChannel channel, Function<MacAddress, VdpTimers> timers, Predicate<MacAddress> groupIds) {
        return addPort(channel, timers, groupIds, null);
    }

    /**
     * Serves VDP on a port with all three: each station's own timers, GroupID formats as EVB negotiated them per
     * station, and VDP only to the stations {@code authorization} has authorized (null: every station).
     *
     * @throws IllegalArgumentException as {@link #addPort(VdpChannel, Supplier)}
     */
    public synchronized NnvePort addPort(VdpChannel channel, Function<MacAddress, VdpTimers> timers, Predicate<MacAddress> groupIds,
                                         PortAuthorization authorization) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(groupIds, "groupIds");
        Objects.requireNonNull(timers, "timers");
        if (closed) {
            throw new NnveException.Closed();
        }
        if (scheduler == null) {
            scheduler = channel.scheduler();
        } else if (scheduler != channel.scheduler()) {
            throw new IllegalArgumentException("all ports of an nNVE share one scheduler; " + channel.portName() + " has another");
        }
        if (ports.containsKey(channel.portName())) {
            throw new IllegalArgumentException("port " + channel.portName() + " is already served");
        }
        LocalTagPool pool = sharedPool != null ? sharedPool : new LocalTagPool(config.firstTag(), config.lastTag());
        PortAdmission admission = authorization == null ? PortAdmission.open(channel.portName())
                : PortAdmission.authorized(channel.portName(), authorization);
        NnvePort port = new NnvePort(owner, channel, timers, pool, groupIds, admission);
        ports.put(port.name(), port);
        admission.follow(port, owner);
        LOG.info("nnve: serving VDP on {} ({} tags {}..{}, {})", port.name(), config.tagDomain(), config.firstTag(), config.lastTag(),
                config.nveName());
        return port;
    }

    public Optional<NnvePort> port(String name) {
        return Optional.ofNullable(ports.get(name));
    }

    public List<NnvePort> ports() {
        List<NnvePort> out = new ArrayList<>(ports.values());
        out.sort(Comparator.comparing(NnvePort::name));
        return out;
    }

    public void addListener(NnveListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    /**
     * Req-9: de-associates a TSI from the NVE side. Frees it here (after any request for it in
     * progress), then sends the station an unsolicited De-Associate. Completes when ECP delivered
     * it; fails with {@link NnveException.UnknownTsi} if the TSI is not held, or
     * {@link NnveException.Undelivered} if the station could not be told (it is freed anyway).
     */
    public CompletableFuture<Void> deassociate(TsiKey key, String why) {
        return onTsi(key, (port, tsi, done) -> port.deassociateInTurn(tsi, "NVE de-associate: " + why, false, done));
    }

    /**
     * Req-9: deactivates a TSI from the NVE side (docs/PROTOCOL.md 4.6). After any request for it in progress, it goes
     * Associated here (its addresses leave the NVA's forwarding view and the data plane), and the station is told with
     * an unsolicited Pre-Associate. Completes when ECP delivered it; fails with {@link NnveException.UnknownTsi} if the
     * TSI is not held, {@link NnveException.InvalidChange} if it is not Activated, or
     * {@link NnveException.Undelivered} if the station could not be told (it is deactivated anyway).
     */
    public CompletableFuture<Void> deactivate(TsiKey key, String why) {
        return onTsi(key, (port, tsi, done) -> port.deactivateInTurn(tsi, "NVE deactivate: " + why, done));
    }

    /**
     * Req-9: removes some addresses of a TSI from the NVE side (docs/PROTOCOL.md 4.6): the TSI's entries with the
     * addresses (MAC and IP) of {@code entries} go, the TSI keeps its state and its other addresses, and the station is
     * told with an unsolicited De-Associate carrying only the entries removed. Fails with
     * {@link NnveException.InvalidChange} for an address the TSI does not have or for all of them (use
     * {@link #deassociate}), and otherwise as {@link #deactivate}.
     */
    public CompletableFuture<Void> removeAddresses(TsiKey key, List<FilterEntry> entries, String why) {
        List<FilterEntry> gone = List.copyOf(entries);
        return onTsi(key, (port, tsi, done) -> port.removeAddressesInTurn(tsi, gone, "NVE address removal: " + why, done));
    }

    /** An NVE-side change of one held TSI, queued behind what is in progress for it on its port. */
    @FunctionalInterface
    private interface TsiChange {
        void start(NnvePort port, Tsi tsi, java.util.function.BiConsumer<? super Void, ? super Throwable> done);
    }

    private CompletableFuture<Void> onTsi(TsiKey key, TsiChange change) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onSchedulerOrFail(result, () -> {
            NnvePort port = ports.get(key.port());
            Tsi tsi = port == null ? null : port.instance(key);
            if (tsi == null || tsi.view == null) {
                result.completeExceptionally(new NnveException.UnknownTsi(key));
                return;
            }
            change.start(port, tsi, (ok, e) -> complete(result, e));
        });
        return result;
    }

    /**
     * Req-6: disconnects a port from a VN: every TSI of the VN on the port is de-associated as by
     * {@link #deassociate}; with the last one the VAP goes VN_Disconnected and the tag is released.
     * Fails with {@link NnveException.UnknownVap} if the VN is not connected there, or with the
     * first delivery failure (everything is freed locally anyway).
     */
    public CompletableFuture<Void> disconnectVn(String portName, VnId vn, String why) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onSchedulerOrFail(result, () -> {
            NnvePort port = ports.get(portName);
            if (port == null || port.vapTable().get(vn) == null) {
                result.completeExceptionally(new NnveException.UnknownVap(vn + " is not connected on " + portName));
                return;
            }
            LOG.info("nnve {}: disconnecting {} ({})", portName, vn, why);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Tsi tsi : port.instances()) {
                TsiView v = tsi.view;
                if (v != null && v.vn().equals(vn)) {
                    CompletableFuture<Void> one = new CompletableFuture<>();
                    all.add(one);
                    // A TSI a queued station De-Associate already freed counts as done.
                    port.deassociateInTurn(tsi, "VN disconnect: " + why, false, (ok, e) ->
                            complete(one, e instanceof NnveException.UnknownTsi ? null : e));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> complete(result, e));
        });
        return result;
    }

    private static void complete(CompletableFuture<Void> f, Throwable e) {
        if (e == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Every TSI held (Associated or Activated), by port, station and VSI. */
    public List<TsiView> tsis() {
        List<TsiView> out = new ArrayList<>();
        for (NnvePort p : ports.values()) {
            for (Tsi t : p.instances()) {
                TsiView v = t.view;
                if (v != null) {
                    out.add(v.withLastRefresh(t.lastRefresh));
                }
            }
        }
        out.sort(Comparator.comparing((TsiView v) -> v.key().port()).thenComparing(v -> v.key().station())
                .thenComparing(v -> v.key().vsiId().toString()));
        return out;
    }

    public Optional<TsiView> tsi(TsiKey key) {
        NnvePort p = ports.get(key.port());
        Tsi t = p == null ? null : p.instance(key);
        TsiView v = t == null ? null : t.view;
        return v == null ? Optional.empty() : Optional.of(v.withLastRefresh(t.lastRefresh));
    }

    /** The VAP of a VN on a port; empty when the VN is disconnected there. */
    public Optional<VapView> vap(String port, VnId vn) {
        NnvePort p = ports.get(port);
        return p == null ? Optional.empty() : Optional.ofNullable(p.vapTable().get(vn));
    }

    /** Every connected VAP. */
    public List<VapView> vaps() {
        List<VapView> out = new ArrayList<>();
        for (NnvePort p : ports.values()) {
            out.addAll(p.vapTable().all());
        }
        out.sort(Comparator.comparing(VapView::port).thenComparing(VapView::vn));
        return out;
    }

    public DataPlaneView dataPlaneView() {
        return dataPlaneView;
    }

    public NnveCounters counters() {
        return counters.snapshot();
    }

    /** TSIs held on all ports. */
    public int totalTsis() {
        return total.get();
    }

    /** Stops answering and sweeping. Held TSIs are not de-associated; channels belong to the caller. */
    @Override
    public void close() {
        closed = true;
        Scheduler s = scheduler;
        if (s != null) {
            onScheduler(() -> ports.values().forEach(NnvePort::close));
        }
        LOG.info("nnve: closed with {} TSIs held", total.get());
    }

    private void onScheduler(Runnable r) {
        Scheduler s = scheduler;
        if (s.inSchedulerThread()) {
            r.run();
        } else {
            s.execute(r);
        }
    }

    private void onSchedulerOrFail(CompletableFuture<?> f, Runnable r) {
        if (closed) {
            f.completeExceptionally(new NnveException.Closed());
        } else if (scheduler == null) {
            f.completeExceptionally(new NnveException.UnknownVap("the nNVE has no port yet"));
        } else {
            onScheduler(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        }
    }

    /** The nNVE as its ports see it. */
    private final class Owner implements PortOwner {

        @Override
        public NnveConfig config() {
            return config;
        }

        @Override
        public Counters counters() {
            return counters;
        }

        @Override
        public Nva nva() {
            return nva;
        }

        @Override
        public AuthorizationPolicy policy() {
            return policy;
        }

        @Override
        public boolean closed() {
            return closed;
        }

        @Override
        public void onProtocolThread(Runnable task) {
            onScheduler(task);
        }

        @Override
        public void publish(Consumer<NnveListener> event) {
            listeners.publish(event);
        }

        @Override
        public void publishToDataPlane(Consumer<DataPlaneListener> event) {
            listeners.publishToDataPlane(event);
        }

        @Override
        public int totalTsis() {
            return total.get();
        }

        @Override
        public void tsiAdded() {
            total.incrementAndGet();
        }

        @Override
        public void tsiRemoved() {
            total.decrementAndGet();
        }
    }

    /** Builds an {@link Nnve}; the NVA is required, the policy defaults to allow-all. */
    public static final class Builder {
        private Nva nva;
        private AuthorizationPolicy policy = AuthorizationPolicy.allowAll();
        private NnveConfig config = NnveConfig.DEFAULT;

        private Builder() {
        }

        public Builder nva(Nva v) {
            nva = Objects.requireNonNull(v, "nva");
            return this;
        }

        public Builder policy(AuthorizationPolicy v) {
            policy = Objects.requireNonNull(v, "policy");
            return this;
        }

        public Builder config(NnveConfig v) {
            config = Objects.requireNonNull(v, "config");
            return this;
        }

        public Nnve build() {
            return new Nnve(this);
        }
    }
}
