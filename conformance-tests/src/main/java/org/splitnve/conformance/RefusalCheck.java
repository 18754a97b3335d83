package org.splitnve.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * How a station takes a bridge's refusal, judged from the wire alone. The suite's bridge refuses the
 * station's second, third and fourth VSI ({@link StationResponder.RefusalKind}) every time it asks, and
 * then watches that VSI for three keep-alive limits. A station that reported the failure sends nothing
 * more for it; after error 2 with keep it may retry a few times ({@link StationChecks#MAX_KEEP_RETRIES}),
 * each after a longer wait. A station that retries for ever, or that took the refusal for success,
 * sends the request again every so often: a keep-alive is the same TLV sent again. Silence counts only
 * if the station acked the refusal and was still sending at the end of the window.
 */
final class RefusalCheck {

    private RefusalCheck() {
    }

    static Outcome run(Probe probe, StationResponder bridge, StationResponder.RefusalKind kind, Duration ackWait, Duration keepAliveLimit)
            throws InterruptedException {
        Optional<VsiId> v = bridge.awaitRefused(kind, keepAliveLimit);
        String nth = switch (kind) {
            case KEEP -> "second";
            case INVALID -> "third";
            case HARD -> "fourth";
        };
        if (v.isEmpty()) {
            return Outcome.untested("the station asked for no " + nth + " VSI while the suite ran (the suite refuses the second, third and fourth VSI"
                    + " a station asks for: make it associate four)");
        }
        VsiId vsi = v.get();
        Optional<StationResponder.Exchange> first = bridge.exchanges().await(0, e -> e.requests(vsi), ackWait);
        if (first.isEmpty()) {
            return Outcome.untested("the refusal of VSI " + vsi + " was not recorded");
        }
        StationResponder.Exchange refused = first.get();
        PeerTlv asked = refused.requestFor(vsi).orElseThrow();
        String what = "we refused the station's " + asked.typeName() + " for its " + nth + " VSI " + vsi + " with " + kind.text
                + " (our sequence " + refused.answerSeq() + ")";
        if (refused.answerSeq() < 0 || probe.awaitAck(refused.ackMark(), refused.answerSeq(), ackWait).isEmpty()) {
            return Outcome.fail(what + ", and the station did not acknowledge it within " + ackWait.toMillis() + " ms");
        }
        Duration window = keepAliveLimit.multipliedBy(3);
        long end = refused.answeredNanos() + window.toNanos();
        long left = end - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000 + 1);
        }
        List<Long> again = bridge.exchanges().since(refused.index() + 1, e -> e.pdu().nanos() <= end
                && e.requestFor(vsi).filter(t -> t.type() != VdpTlvType.DE_ASSOCIATE.value()).isPresent())
                .stream().map(e -> e.pdu().nanos()).toList();
        String in = " in the " + window.toMillis() + " ms after";
        if (again.isEmpty()) {
            if (!stillSending(bridge, end, keepAliveLimit)) {
                return Outcome.fail(what + "; then nothing came for that VSI" + in + ", but nothing else either, not even a keep-alive for another"
                        + " VSI in the last " + keepAliveLimit.toMillis() + " ms: a station that is gone is silent too, so this shows nothing");
            }
            return Outcome.pass(what + "; acked, and no request for that VSI came" + in + ", while the station went on sending for its others");
        }
        String seen = again.size() + " time" + (again.size() == 1 ? "" : "s") + in + " (" + gaps(refused.answeredNanos(), again) + ")";
        if (kind != StationResponder.RefusalKind.KEEP) {
            return Outcome.fail(what + "; the station sent that VSI's request again " + seen + ": " + kind.text
                    + " is not retried, and a refused VSI is not refreshed as if it had succeeded");
        }
        boolean backsOff = true;
        for (int i = 2; i < again.size(); i++) {
            backsOff &= again.get(i) - again.get(i - 1) >= again.get(i - 1) - again.get(i - 2);
        }
        if (again.size() > 1) {
            backsOff &= again.get(1) - again.get(0) >= again.get(0) - refused.answeredNanos();
        }
        if (again.size() > StationChecks.MAX_KEEP_RETRIES || !backsOff) {
            return Outcome.fail(what + "; the station sent that VSI's request again " + seen + ": "
                    + (again.size() > StationChecks.MAX_KEEP_RETRIES ? "more than " + StationChecks.MAX_KEEP_RETRIES
                            + " retries, so it retries for ever or refreshes the refused VSI as if it had succeeded" : "its waits do not grow"));
        }
        return Outcome.pass(what + "; the station retried " + seen + (again.size() > 1 ? ", each after a longer wait," : "") + " and then stopped");
    }

    /** Whether the station sent anything in the last keep-alive limit of the window, or sends something within one after it. */
    private static boolean stillSending(StationResponder bridge, long end, Duration keepAliveLimit) throws InterruptedException {
        long from = end - keepAliveLimit.toNanos();
        int mark = bridge.exchanges().mark();
        return !bridge.exchanges().since(0, e -> e.pdu().nanos() >= from).isEmpty()
                || bridge.exchanges().await(mark, e -> true, keepAliveLimit).isPresent();
    }

    /** "after 12 ms, then 400 ms, 800 ms": the first wait after the refusal and the ones between. */
    private static String gaps(long refusedAt, List<Long> at) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "after %d ms", (at.get(0) - refusedAt) / 1_000_000));
        for (int i = 1; i < at.size(); i++) {
            s.append(i == 1 ? ", then " : ", ").append((at.get(i) - at.get(i - 1)) / 1_000_000).append(" ms");
        }
        return s.toString();
    }
}
