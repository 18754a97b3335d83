package org.splitnve.ecptransport.vdp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.ResilientLink;
import org.splitnve.ecptransport.lldp.EvbOperating;
import org.splitnve.ecptransport.lldp.LldpAgent;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.lldp.LldpNeighbor;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;

/**
 * Everything VDP needs on one port, wired the one right way: the ECP engine, the LLDP agent
 * advertising the EVB TLV (whose negotiated R and RTE drive ECP and whose RWD and RKA drive the
 * VDP timers) and the {@link VdpChannel}. Station and bridge engines, the command line, the demo
 * and the conformance suite all start from this.
 */
public final class VdpStack implements AutoCloseable {

    private final Link link;
    private final Scheduler scheduler;
    private final EcpEngine ecp;
    private final LldpAgent lldp;
    private final VdpChannel channel;
    private volatile Cached cached;

    private VdpStack(Link link, Scheduler scheduler, EcpEngine ecp, LldpAgent lldp, VdpChannel channel) {
        this.link = link;
        this.scheduler = scheduler;
        this.ecp = ecp;
        this.lldp = lldp;
        this.channel = channel;
    }

    /**
     * Starts ECP and LLDP on {@code link}; the stack owns the link from now on and closes it. On a
     * {@link ResilientLink} the stack follows the port's state: while it is down every ECP peer is unreachable, and
     * when it is up again the peers are presumed back (a station re-sends its current TLVs) and LLDP speaks at once.
     *
     * @param seed seeds ECP's first sequence number (use a random one outside tests)
     */
    public static VdpStack start(Link link, Scheduler scheduler, LldpAgentConfig lldpConfig, EcpConfig ecpConfig,
                                 VdpDecoder decoder, VdpEncoder encoder, long seed) {
        Objects.requireNonNull(link, "link");
        EcpEngine ecp = new EcpEngine(link, scheduler, ecpConfig, seed);
        VdpChannel channel = new VdpChannel(ecp, scheduler, decoder, encoder);
        LldpAgent lldp = new LldpAgent(link, scheduler, lldpConfig);
        lldp.attach(ecp);
        ecp.start();
        lldp.start();
        if (link instanceof ResilientLink resilient) {
            resilient.addStateListener(new ResilientLink.StateListener() {
                @Override
                public void onDown(String why) {
                    ecp.linkDown(why);
                }

                @Override
                public void onUp() {
                    ecp.linkUp();
                    lldp.linkUp();
                }
            });
        }
        return new VdpStack(link, scheduler, ecp, lldp, channel);
    }

    /** A station port with lldpad's defaults, asking for GroupID support. */
    public static VdpStack station(Link link, Scheduler scheduler, long seed) {
        return start(link, scheduler, LldpAgentConfig.station(), EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), seed);
    }

    /** A bridge port advertising bridge mode with GroupID support. */
    public static VdpStack bridge(Link link, Scheduler scheduler, long seed) {
        return start(link, scheduler, LldpAgentConfig.bridge(), EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), seed);
    }

    public Link link() {
        return link;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public EcpEngine ecp() {
        return ecp;
    }

    public LldpAgent lldp() {
        return lldp;
    }

    public VdpChannel channel() {
        return channel;
    }

    /** The VDP timers from the operating EVB values of this moment (our policy before a peer is heard). */
    public VdpTimers timers() {
        EvbOperating op = lldp.operating();
        return op == null ? VdpTimers.DEFAULT : VdpTimers.of(op);
    }

    /** A supplier that reads {@link #timers()} at each use, for engines that must follow renegotiation. */
    public Supplier<VdpTimers> timersSource() {
        return this::timers;
    }

    /**
     * The VDP timers with one peer, from the EVB values negotiated with it alone ({@link LldpAgent#operating(MacAddress)}):
     * on a bridge port with several stations (Req-2) each station's keep-alive timeout is its own.
     */
    public VdpTimers timers(MacAddress peer) {
        EvbOperating op = lldp.operating(peer);
        if (op == null) {
            return VdpTimers.DEFAULT;
        }
        Cached c = cached;
        if (c == null || !c.operating.equals(op)) {
            c = new Cached(op, VdpTimers.of(op));
            cached = c; // most stations operate at the same values: one entry saves a computation per TSI and sweep
        }
        return c.timers;
    }

    /** {@link #timers(MacAddress)} as a function, for engines that must follow each peer's renegotiation. */
    public Function<MacAddress, VdpTimers> peerTimers() {
        return this::timers;
    }

    private record Cached(EvbOperating operating, VdpTimers timers) {
    }

    /** Whether filter formats with a GroupID may be used with a peer, as the EVB TLVs say ({@link LldpAgent#groupIdUsable}). */
    public Predicate<MacAddress> groupIdSupport() {
        return lldp::groupIdUsable;
    }

    /** The first LLDP neighbour that advertises the given EVB mode, if one has been heard. */
    public Optional<MacAddress> evbPeer(EvbMode mode) {
        for (LldpNeighbor n : lldp.neighbors()) {
            if (n.evb() != null && n.evb().mode() == mode) {
                return Optional.of(n.mac());
            }
        }
        return Optional.empty();
    }

    /**
     * Waits (polling, off the scheduler thread) until a neighbour advertising {@code mode} is heard
     * and its EVB values are negotiated.
     */
    public Optional<MacAddress> awaitEvbPeer(EvbMode mode, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<MacAddress> peer = evbPeer(mode);
            EvbOperating op = lldp.operating();
            if (peer.isPresent() && op != null && op.peerMode() == mode) {
                return peer;
            }
            if (System.nanoTime() - deadline > 0) {
                return Optional.empty();
            }
            Thread.sleep(20);
        }
    }

    /** Stops LLDP, then ECP (failing what it still holds), then closes the link. */
    @Override
    public void close() {
        channel.close();
        lldp.close();
        ecp.close();
        // The agent's goodbye (an LLDPDU with TTL 0) and ECP's last work are tasks on the scheduler:
        // the link closes in a task after them (closing a RealScheduler runs the tasks already queued).
        try {
            scheduler.execute(link::close);
        } catch (java.util.concurrent.RejectedExecutionException schedulerGone) {
            link.close();
        }
    }
}
