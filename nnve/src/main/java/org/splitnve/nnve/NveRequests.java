package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The requests one port of the nNVE makes on its own (Req-6, Req-9, the keep-alive timeout; docs/PROTOCOL.md 4.6):
 * each goes to the station's own MAC and is remembered until the station answers it. A station request for that VSI
 * that arrives meanwhile was sent before the station saw ours (ECP delivers in order, and the station answers ours
 * before anything it sends later), so it {@linkplain #crossed crossed} ours on the wire and must not undo it: a
 * keep-alive must not re-create a TSI the nNVE just de-associated. An answer that never comes (a station that does not
 * answer, or one that never got ours) stops being waited for after the response wait. Runs on the protocol thread.
 */
final class NveRequests {

    private static final Logger LOG = LoggerFactory.getLogger(NveRequests.class);

    /** One request of ours that the station has not answered yet. */
    private record Awaited(VdpTlvType type, Scheduler.Timer timer) {
    }

    private final String port;
    private final VdpChannel channel;
    private final Scheduler scheduler;
    private final Function<MacAddress, VdpTimers> timers;
    private final StationAnswers answers;
    private final Map<TsiKey, Awaited> awaited = new HashMap<>();

    NveRequests(String port, VdpChannel channel, Function<MacAddress, VdpTimers> timers, StationAnswers answers) {
        this.port = port;
        this.channel = channel;
        this.scheduler = channel.scheduler();
        this.timers = timers;
        this.answers = answers;
    }

    /**
     * Tells the station of the TSI {@code held} (as it was) a change the nNVE made on its own: a request of
     * {@code type}, response bit clear, carrying {@code filter}. The future completes when ECP delivered it, or fails
     * with {@link NnveException.Undelivered} (the change stands here anyway).
     */
    CompletableFuture<Void> tell(TsiView held, VdpTlvType type, FilterInfo filter, String why) {
        List<AssociationTlv> tlvs = AssociationTlv.builder().type(type).status(VsiStatus.REQUEST).typeId(held.typeId())
                .typeVersion(held.typeVersion()).vsiId(held.key().vsiId()).filter(filter).buildSplit();
        CompletableFuture<Void> result = new CompletableFuture<>();
        send(held.key(), held.managerId(), tlvs, why).whenComplete((ok, e) -> {
            if (e == null) {
                result.complete(null);
            } else {
                answers.undelivered(type + " of " + held.key().vsiId(), held.key().station(), e);
                result.completeExceptionally(new NnveException.Undelivered(type + " of " + held.key()
                        + " applied locally but not delivered", e));
            }
        });
        return result;
    }

    /**
     * Sends the TLVs of one request of ours about {@code key} to its station's MAC, in one VDPDU when they fit, and
     * waits for the station's answer. The future completes when ECP delivered everything.
     */
    private CompletableFuture<Void> send(TsiKey key, ManagerId managerId, List<AssociationTlv> tlvs, String why) {
        VdpTlvType type = tlvs.get(0).type();
        MacAddress station = key.station();
        LOG.info("nnve {}: unsolicited {} of {} to {} ({})", port, type, key.vsiId(), station, why);
        Awaited before = awaited.put(key, new Awaited(type, scheduler.schedule(timers.apply(station).responseWait(), () -> gaveUp(key, type))));
        if (before != null) {
            before.timer().cancel();
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try {
            sent.add(channel.reply(station, managerId, tlvs));
        } catch (IllegalArgumentException tooBig) {
            for (AssociationTlv t : tlvs) {
                sent.add(channel.reply(station, managerId, List.of(t)));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        all.whenComplete((ok, e) -> {
            if (e != null) {
                // The station never heard it, so nothing it sends can have crossed it.
                onProtocolThread(() -> forget(key, type, "not delivered"));
            }
        });
        return all;
    }

    /**
     * Whether a station request of {@code type} for {@code key} crossed a request of ours still unanswered. A
     * De-Associate from the station never crosses: it ends the TSI whatever we asked, and our wait with it.
     */
    boolean crossed(TsiKey key, VdpTlvType type) {
        Awaited a = awaited.get(key);
        if (a == null) {
            return false;
        }
        if (type == VdpTlvType.DE_ASSOCIATE) {
            forget(key, a.type(), "the station de-associates");
            return false;
        }
        return true;
    }

    /** A response from the station; returns whether it answers a request of ours (which is then no longer waited for). */
    boolean answered(TsiKey key, VdpTlvType type) {
        Awaited a = awaited.get(key);
        if (a == null || a.type() != type) {
            return false;
        }
        forget(key, type, "answered");
        return true;
    }

    /** Stops waiting (the nNVE closed). */
    void close() {
        awaited.values().forEach(a -> a.timer().cancel());
        awaited.clear();
    }

    private void gaveUp(TsiKey key, VdpTlvType type) {
        Awaited a = awaited.get(key);
        if (a != null && a.type() == type) {
            awaited.remove(key);
            LOG.info("nnve {}: {} did not answer our {} of {} within the response wait; its requests are served again", port,
                    key.station(), type, key.vsiId());
        }
    }

    private void forget(TsiKey key, VdpTlvType type, String why) {
        Awaited a = awaited.get(key);
        if (a != null && a.type() == type) {
            awaited.remove(key);
            a.timer().cancel();
            LOG.debug("nnve {}: our {} of {} to {}: {}", port, type, key.vsiId(), key.station(), why);
        }
    }

    private void onProtocolThread(Runnable r) {
        if (scheduler.inSchedulerThread()) {
            r.run();
        } else {
            scheduler.execute(r);
        }
    }
}
