package org.splitnve.ecptransport.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.lldp.LldpAgent;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * Our side of an interop test: a pcap link on end A of a {@link LiveVeth}, opened inside namespace A, with the LLDP
 * agent and the ECP engine on one real-time scheduler, the agent handing the negotiated R and RTE to the engine.
 */
public final class OurPort implements AutoCloseable {

    private final RealScheduler scheduler;
    private final PcapLink link;
    private final LldpAgent agent;
    private final EcpEngine engine;

    private OurPort(RealScheduler scheduler, PcapLink link, LldpAgent agent, EcpEngine engine) {
        this.scheduler = scheduler;
        this.link = link;
        this.agent = agent;
        this.engine = engine;
    }

    /** Opens end A and creates the agent and the engine; nothing runs until {@link #start()}. */
    public static OurPort onEndA(LiveVeth veth, LldpAgentConfig lldp, EcpConfig ecp, long seed) throws Exception {
        PcapLink link = veth.openA(EtherType.LLDP, EtherType.ECP);
        RealScheduler scheduler = new RealScheduler("ours-" + link.name());
        LldpAgent agent = new LldpAgent(link, scheduler, lldp);
        EcpEngine engine = new EcpEngine(link, scheduler, ecp, seed);
        agent.attach(engine);
        return new OurPort(scheduler, link, agent, engine);
    }

    public OurPort start() {
        engine.start();
        agent.start();
        return this;
    }

    public RealScheduler scheduler() {
        return scheduler;
    }

    public PcapLink link() {
        return link;
    }

    public LldpAgent agent() {
        return agent;
    }

    public EcpEngine engine() {
        return engine;
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code timeout} passes; returns whether it held. */
    public static boolean await(Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.get();
    }

    /** Stops the engine and the agent, lets the scheduler finish what they queued, then stops it. */
    @Override
    public void close() {
        engine.close();
        agent.close();
        CountDownLatch drained = new CountDownLatch(1);
        scheduler.execute(drained::countDown);
        try {
            drained.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.close();
    }
}
