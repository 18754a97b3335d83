package org.splitnve.tnve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The tNVE (RFC 8394 sections 2-4): a VDP station on one port, for hypervisor tooling to embed.
 *
 * <p>Every method may be called from any thread; operations hop onto the channel's scheduler thread, where all
 * state lives, and return futures that complete there. A future fails with a {@link TnveException} subclass:
 * {@link VdpRefusedException}, {@link ResponseTimeoutException}, {@link UndeliverableException},
 * {@link DeactivateUnsupportedException}, {@link IllegalTsiTransitionException}, {@link NoBridgeException},
 * {@link RequestTooLargeException}.
 *
 * <p>Operations on one VSI run one at a time: a call made while another is in progress for the same VSI is queued
 * behind it (not refused) and checked against the state the earlier one leaves. Operations on different VSIs run
 * concurrently and share VDPDUs.
 */
public final class Tnve implements AutoCloseable {

    /**
     * How long after the port is authenticated the first VDP goes out: the bridge learns of the authentication from
     * its authenticator about when the station does (within half a millisecond either way, measured with hostapd and
     * wpa_supplicant on a veth pair), and a request that arrives before is dropped unanswered.
     */
    public static final Duration AUTHENTICATION_SETTLE = Duration.ofMillis(250);

    private final Station station;
    private final VdpChannel channel;
    private final Listeners listeners;
    private final BridgeMode mode;

    private Tnve(Builder b) {
        this.channel = b.channel;
        this.listeners = new Listeners();
        this.mode = b.mode;
        this.station = new Station(b.channel, b.timers, b.groupIds, b.config, b.mode, b.bridge, b.standby, b.addressing, listeners,
                b.authentication, b.settle);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening to the channel and the keep-alive timer. */
    public Tnve start() {
        station.onLoop(station::start);
        return this;
    }

    public void addListener(TnveListener l) {
        listeners.add(l);
    }

    public void removeListener(TnveListener l) {
        listeners.remove(l);
    }

    /** Explicit VN_Connect: the VN's tag on its (first) bridge, pre-associating a VN anchor VSI if it is not known yet. */
    public CompletableFuture<LocalTag> vnConnect(VnId vn) {
        Objects.requireNonNull(vn, "vn");
        CompletableFuture<LocalTag> f = new CompletableFuture<>();
        station.onLoop(() -> station.vnConnect(vn, f));
        return f;
    }

    /** Explicit VN_Disconnect: de-associates every TSI of the VN and its anchor. */
    public CompletableFuture<Void> vnDisconnect(VnId vn) {
        Objects.requireNonNull(vn, "vn");
        CompletableFuture<Void> f = new CompletableFuture<>();
        station.onLoop(() -> station.vnDisconnect(vn, f));
        return f;
    }

    /** TSI Associate: Pre-Associate (-RR when configured) with the full address set -> ASSOCIATED. */
    public CompletableFuture<TsiResult> associate(TsiSpec spec, Migration m) {
        return op(Objects.requireNonNull(spec, "spec"), spec.vsiId(), StationTsiMachine.Event.ASSOCIATE, m, null);
    }

    /** TSI Activate of an associated VSI: Associate -> ACTIVATED. */
    public CompletableFuture<TsiResult> activate(VsiId vsiId, Migration m) {
        return op(null, vsiId, StationTsiMachine.Event.ACTIVATE, m, null);
    }

    /** TSI Activate, from any state: Associate with this spec -> ACTIVATED. */
    public CompletableFuture<TsiResult> activate(TsiSpec spec, Migration m) {
        return op(Objects.requireNonNull(spec, "spec"), spec.vsiId(), StationTsiMachine.Event.ACTIVATE, m, null);
    }

    /** TSI Deactivate (docs/PROTOCOL.md 4.4): Pre-Associate of an Activated VSI -> ASSOCIATED. */
    public CompletableFuture<TsiResult> deactivate(VsiId vsiId, Migration m) {
        return op(null, vsiId, StationTsiMachine.Event.DEACTIVATE, m, null);
    }

    /** TSI De-Associate -> INIT. De-associating an unknown VSI succeeds at once. */
    public CompletableFuture<TsiResult> deassociate(VsiId vsiId) {
        return op(null, vsiId, StationTsiMachine.Event.DEASSOCIATE, Migration.NONE, null);
    }

    /** Req-10: re-sends the current TLV type with the complete new address set; the state stays. */
    public CompletableFuture<TsiResult> updateAddresses(VsiId vsiId, List<TsiAddress> addresses) {
        return op(null, vsiId, StationTsiMachine.Event.UPDATE, Migration.NONE, List.copyOf(addresses));
    }

    /** PER_VN: puts the VN on this bridge (moving its TSIs); ACTIVE_ACTIVE: adds the bridge to the VN's bridges. */
    public CompletableFuture<Void> assignVn(VnId vn, MacAddress bridge) {
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(bridge, "bridge");
        CompletableFuture<Void> f = new CompletableFuture<>();
        station.onLoop(() -> station.assignVn(vn, bridge, f));
        return f;
    }

    private CompletableFuture<TsiResult> op(TsiSpec spec, VsiId id, StationTsiMachine.Event kind, Migration m, List<TsiAddress> addresses) {
        Objects.requireNonNull(id, "vsiId");
        Objects.requireNonNull(m, "migration");
        CompletableFuture<TsiResult> f = new CompletableFuture<>();
        station.onLoop(() -> station.submit(spec, id, kind, m, addresses, f));
        return f;
    }

    /** The state of a VSI as its last operation (or the bridge) left it; INIT when unknown. Any thread. */
    public TsiState state(VsiId vsiId) {
        TsiStatus s = station.status(vsiId);
        return s == null ? TsiState.INIT : s.state();
    }

    /** The tag of the VN on its (first) bridge, if connected. Any thread. */
    public Optional<LocalTag> localTag(VnId vn) {
        return localTag(vn, station.bridgesFor(vn).get(0));
    }

    /** The tag of the VN on one bridge (active-active mode keeps one per bridge). Any thread. */
    public Optional<LocalTag> localTag(VnId vn, MacAddress bridge) {
        return Optional.ofNullable(station.localTag(vn, bridge));
    }

    /** Snapshots of every TSI the station holds, VN anchors included. Any thread. */
    public List<TsiStatus> tsis() {
        return new ArrayList<>(station.snapshot());
    }

    public Optional<TsiStatus> tsi(VsiId vsiId) {
        return Optional.ofNullable(station.status(vsiId));
    }

    /** The bridge everything goes to in ACTIVE_STANDBY mode (the primary one in the other modes). */
    public MacAddress activeBridge() {
        return station.activeBridge();
    }

    public List<MacAddress> bridgesFor(VnId vn) {
        return station.bridgesFor(vn);
    }

    /** Whether a bridge showed itself legacy (no 0x80 echo). */
    public boolean isLegacy(MacAddress bridge) {
        return station.isLegacy(bridge);
    }

    public BridgeMode mode() {
        return mode;
    }

    /** Req-11: whether the port is authenticated, so that VDP is sent (always, without an authentication). Any thread. */
    public boolean authenticated() {
        return station.authenticated();
    }

    /** The VSI ID of the anchor an explicit VN_Connect uses for {@code vn} on this station. */
    public VsiId anchorId(VnId vn) {
        return Station.anchorId(channel.localMac(), vn);
    }

    /** A snapshot of the counters, taken on the protocol thread. */
    public CompletableFuture<TnveCounters> counters() {
        CompletableFuture<TnveCounters> f = new CompletableFuture<>();
        station.onLoop(() -> f.complete(station.counters()));
        return f;
    }

    /** Stops keep-alives and fails every operation still pending; the channel is the caller's. */
    @Override
    public void close() {
        station.onLoop(station::close);
    }

    /** Builds a {@link Tnve}; channel and bridge are required. */
    public static final class Builder {
        private VdpChannel channel;
        private Supplier<VdpTimers> timers = () -> VdpTimers.DEFAULT;
        private Predicate<MacAddress> groupIds = bridge -> true;
        private MacAddress bridge;
        private MacAddress standby;
        private BridgeMode mode = BridgeMode.ACTIVE_STANDBY;
        private EcpAddressing addressing;
        private TnveConfig config = TnveConfig.DEFAULT;
        private PortAuthorization authentication;
        private Duration settle = AUTHENTICATION_SETTLE;
        private final List<Consumer<Tnve>> setup = new ArrayList<>();

        private Builder() {
        }

        public Builder channel(VdpChannel v) {
            channel = v;
            return this;
        }

        /** Read at every use, so that timers renegotiated by EVB apply from the next request on. */
        public Builder timers(Supplier<VdpTimers> v) {
            timers = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Whether EVB negotiated filter formats with a GroupID with a bridge ({@code VdpStack.groupIdSupport()}), asked at
         * every request; where it did not, the station falls back to the formats without one (docs/PROTOCOL.md section 2).
         * By default they are always used.
         */
        public Builder groupIds(Predicate<MacAddress> v) {
            groupIds = Objects.requireNonNull(v);
            return this;
        }

        /** The (primary, or active) bridge's MAC. */
        public Builder bridge(MacAddress v) {
            bridge = v;
            return this;
        }

        /** ACTIVE_STANDBY: the bridge to fail over to. */
        public Builder standby(MacAddress v) {
            standby = v;
            return this;
        }

        /**
         * How requests reach the bridge when there is one (docs/PROTOCOL.md 4.3): the nearest-customer-bridge group
         * address (ECP's default, a direct link only), the bridge's MAC by unicast (it works across a bridged network),
         * or a configured non-reserved group MAC. With a standby or several bridges, each is addressed by unicast.
         */
        public Builder addressing(EcpAddressing v) {
            addressing = Objects.requireNonNull(v);
            return this;
        }

        public Builder bridgeMode(BridgeMode v) {
            mode = Objects.requireNonNull(v);
            return this;
        }

        public Builder config(TnveConfig v) {
            config = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Req-11: the port's IEEE 802.1X authentication (a {@code SupplicantAuthorization} on wpa_supplicant); VDP is
         * sent only while it has authorized this channel's MAC. Operations made before wait; when it is lost the
         * station stops sending, tells {@link TnveListener#onAuthentication}, and once it is back associates again
         * what it held. It belongs to the caller, who closes it after the tNVE. VDP starts
         * {@link Tnve#AUTHENTICATION_SETTLE} after the authentication, so that the bridge has heard of it from its own
         * authenticator.
         */
        public Builder authentication(PortAuthorization v) {
            return authentication(v, AUTHENTICATION_SETTLE);
        }

        /** {@link #authentication(PortAuthorization)}, VDP starting {@code settle} after each authentication. */
        public Builder authentication(PortAuthorization v, Duration settle) {
            authentication = Objects.requireNonNull(v);
            if (settle.isNegative()) {
                throw new IllegalArgumentException("settle must not be negative: " + settle);
            }
            this.settle = settle;
            return this;
        }

        public Builder listener(TnveListener l) {
            Objects.requireNonNull(l);
            setup.add(t -> t.addListener(l));
            return this;
        }

        public Tnve build() {
            Objects.requireNonNull(channel, "channel is required");
            Objects.requireNonNull(bridge, "bridge is required");
            if (standby != null && mode != BridgeMode.ACTIVE_STANDBY) {
                throw new IllegalArgumentException("a standby bridge belongs to ACTIVE_STANDBY mode, not " + mode);
            }
            if (bridge.equals(standby)) {
                throw new IllegalArgumentException("the standby bridge is the active one: " + bridge);
            }
            Tnve t = new Tnve(this);
            setup.forEach(s -> s.accept(t));
            return t;
        }
    }
}
