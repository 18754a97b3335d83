package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/** One port's NVA views and VN context lookups, against an in-memory NVA in virtual time. */
class NvaSyncTest {

    private static final VnId VN = VnId.of(5001);
    private static final Duration WAIT = VdpTimers.DEFAULT.resourceWait();

    private final VirtualScheduler clock = new VirtualScheduler();
    private final InMemoryNva store = new InMemoryNva().define(new VnContext(VN, "vn-5001"));
    private final Counters counters = new Counters();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<String> answers = new CopyOnWriteArrayList<>();

    NvaSyncTest() {
        store.addListener(new NvaListener() {
            @Override
            public void onPublished(TsiMapping m, NvaView view) {
                changes.add("+" + view + " " + m.mac().toLong());
            }

            @Override
            public void onWithdrawn(TsiMapping m, NvaView view) {
                changes.add("-" + view + " " + m.mac().toLong());
            }
        });
    }

    private NvaSync sync(Nva nva) {
        return new NvaSync("p1", nva, "nve", counters, clock, r -> {
            if (clock.inSchedulerThread()) {
                r.run();
            } else {
                clock.execute(r);
            }
        }, () -> false);
    }

    /** An NVA whose publish and withdraw do what the test says, with the store's VN contexts. */
    private Nva scripted(BiFunction<TsiMapping, NvaView, CompletionStage<Void>> publish,
                         BiFunction<TsiMapping, NvaView, CompletionStage<Void>> withdraw) {
        return new Nva() {
            @Override
            public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
                return store.vnContext(vn);
            }

            @Override
            public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
                return publish.apply(mapping, view);
            }

            @Override
            public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
                return withdraw.apply(mapping, view);
            }
        };
    }

    private static TsiView tsi(TsiState state, long... macs) {
        FilterEntry[] es = new FilterEntry[macs.length];
        for (int i = 0; i < macs.length; i++) {
            es[i] = FilterEntry.builder().vn(VN.value()).mac(MacAddress.valueOf(macs[i])).vid(2).build();
        }
        return new TsiView(new TsiKey("p1", MacAddress.valueOf(0x02000000A001L), NnveTestBed.vsi(1)), NnveTestBed.MGR, 7, 1, VN,
                LocalTag.of(2), state, FilterInfo.of(FilterFormat.GROUPID_MAC_VID, es), false, 0);
    }

    private void record(VnContext ctx, Refusal refusal) {
        answers.add(ctx != null ? "context " + ctx.name() : "refused " + refusal.error.value() + ": " + refusal.why);
    }

    // ---------------------------------------------------------------- views

    @Test
    void an_associated_tsi_is_in_the_mapping_view_only_and_an_activated_one_in_the_forwarding_view_as_well() {
        NvaSync nva = sync(store);
        TsiView associated = tsi(TsiState.ASSOCIATED, 1, 2);
        nva.sync(null, associated);
        assertThat(changes).containsExactly("+MAPPING 1", "+MAPPING 2");
        changes.clear();
        nva.sync(associated, tsi(TsiState.ACTIVATED, 1, 2));
        assertThat(changes).containsExactly("+FORWARDING 1", "+FORWARDING 2");
        assertThat(store.mappings(NvaView.MAPPING)).hasSize(2);
    }

    @Test
    void a_new_activated_tsi_is_published_to_mapping_before_forwarding_and_a_freed_one_withdrawn_in_reverse() {
        NvaSync nva = sync(store);
        TsiView activated = tsi(TsiState.ACTIVATED, 1);
        nva.sync(null, activated);
        nva.sync(activated, null);
        assertThat(changes).containsExactly("+MAPPING 1", "+FORWARDING 1", "-FORWARDING 1", "-MAPPING 1");
        assertThat(store.mappings(NvaView.MAPPING)).isEmpty();
    }

    @Test
    void deactivating_withdraws_the_forwarding_view_and_keeps_the_mapping() {
        NvaSync nva = sync(store);
        TsiView activated = tsi(TsiState.ACTIVATED, 1);
        nva.sync(null, activated);
        changes.clear();
        nva.sync(activated, tsi(TsiState.ASSOCIATED, 1));
        assertThat(changes).containsExactly("-FORWARDING 1");
    }

    @Test
    void an_address_update_withdraws_only_what_went_and_publishes_only_what_came() {
        NvaSync nva = sync(store);
        TsiView before = tsi(TsiState.ACTIVATED, 1, 2);
        nva.sync(null, before);
        changes.clear();
        nva.sync(before, tsi(TsiState.ACTIVATED, 2, 3));
        assertThat(changes).containsExactly("-FORWARDING 1", "-MAPPING 1", "+MAPPING 3", "+FORWARDING 3");
    }

    @Test
    void an_nva_that_fails_or_throws_on_publish_is_counted_and_the_rest_still_goes_out() {
        Nva failing = scripted((m, view) -> {
            if (view == NvaView.MAPPING) {
                throw new IllegalStateException("down");
            }
            return CompletableFuture.failedFuture(new IllegalStateException("refused"));
        }, store::withdraw);
        sync(failing).sync(null, tsi(TsiState.ACTIVATED, 1, 2));
        assertThat(counters.nvaFailures.get()).isEqualTo(4);
    }

    @Test
    void the_changes_of_one_vdpdu_reach_the_nva_in_one_batch_in_their_order() {
        List<List<NvaChange>> batches = new CopyOnWriteArrayList<>();
        store.addListener(new NvaListener() {
            @Override
            public void onChanges(List<NvaChange> batch) {
                batches.add(batch);
                NvaListener.super.onChanges(batch);
            }
        });
        NvaSync nva = sync(store);
        TsiView first = tsi(TsiState.ACTIVATED, 1);
        nva.hold();
        nva.sync(null, first);
        nva.sync(null, tsi(TsiState.ASSOCIATED, 2));
        nva.sync(first, null);
        assertThat(changes).as("nothing before the VDPDU is done").isEmpty();
        nva.release();

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).hasSize(5);
        assertThat(changes).containsExactly("+MAPPING 1", "+FORWARDING 1", "+MAPPING 2", "-FORWARDING 1", "-MAPPING 1");
        assertThat(store.mappings(NvaView.MAPPING)).extracting(m -> m.mac().toLong()).containsExactly(2L);
        nva.sync(null, tsi(TsiState.ASSOCIATED, 3));
        assertThat(batches).as("outside a VDPDU each change goes at once").hasSize(2);
    }

    @Test
    void a_batch_the_nva_fails_is_counted_once_and_logged() {
        Nva failing = scripted((m, view) -> CompletableFuture.failedFuture(new IllegalStateException("refused")), (m, view) -> {
            throw new IllegalStateException("down");
        });
        NvaSync nva = sync(failing);
        nva.hold();
        nva.sync(null, tsi(TsiState.ACTIVATED, 1, 2));
        nva.release();
        assertThat(counters.nvaFailures.get()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- VN context

    @Test
    void a_context_the_nva_has_ready_is_answered_at_once() {
        sync(store).vnContext(VN, WAIT, this::record);
        assertThat(answers).containsExactly("context vn-5001");
    }

    @Test
    void a_vn_the_nva_does_not_know_is_refused_error_5() {
        sync(store).vnContext(VnId.of(5009), WAIT, this::record);
        assertThat(answers).containsExactly("refused 5: the NVA does not know VN 5009");
    }

    @Test
    void a_failing_nva_is_refused_error_3_and_counted() {
        ControlledNva nva = new ControlledNva(store);
        nva.failure = new IllegalStateException("unreachable");
        sync(nva).vnContext(VN, WAIT, this::record);
        assertThat(answers).singleElement().asString().startsWith("refused 3: the NVA failed to give the context of VN 5001")
                .contains("unreachable");
        assertThat(counters.nvaFailures.get()).isEqualTo(1);
    }

    @Test
    void a_late_nva_is_refused_error_3_at_the_resource_wait_and_its_answer_then_changes_nothing() {
        ControlledNva nva = new ControlledNva(store);
        nva.hold = true;
        sync(nva).vnContext(VN, WAIT, this::record);
        Duration wait = VdpTimers.DEFAULT.resourceWait();
        clock.advance(wait.minusMillis(1));
        assertThat(answers).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(answers).containsExactly("refused 3: the NVA did not give the context of VN 5001 within the resource wait of "
                + wait.toMillis() + " ms");
        assertThat(counters.nvaTimeouts.get()).isEqualTo(1);
        nva.release();
        clock.runReady();
        assertThat(answers).hasSize(1);
    }

    @Test
    void requests_waiting_for_one_vn_share_one_lookup_and_a_timed_out_lookup_is_asked_again() {
        ControlledNva nva = new ControlledNva(store);
        nva.hold = true;
        NvaSync sync = sync(nva);
        sync.vnContext(VN, WAIT, this::record);
        sync.vnContext(VN, WAIT, this::record);
        assertThat(nva.asked).hasSize(1);
        clock.advance(VdpTimers.DEFAULT.resourceWait());
        assertThat(answers).hasSize(2).allMatch(a -> a.startsWith("refused 3"));
        nva.hold = false;
        sync.vnContext(VN, WAIT, this::record);
        assertThat(nva.asked).hasSize(2);
        assertThat(answers).last().isEqualTo("context vn-5001");
    }

    @Test
    void a_held_answer_within_the_resource_wait_is_delivered_on_the_protocol_thread() {
        ControlledNva nva = new ControlledNva(store);
        nva.hold = true;
        sync(nva).vnContext(VN, WAIT, this::record);
        nva.release();
        assertThat(answers).as("not on the NVA's thread").isEmpty();
        clock.runReady();
        assertThat(answers).containsExactly("context vn-5001");
        clock.advance(VdpTimers.DEFAULT.resourceWait());
        assertThat(answers).hasSize(1);
        assertThat(counters.nvaTimeouts.get()).isZero();
    }
}
