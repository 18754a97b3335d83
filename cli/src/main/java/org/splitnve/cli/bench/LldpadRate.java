package org.splitnve.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.NetworkNamespace;

/**
 * Associations per second between an lldpad station and an lldpad bridge in two namespaces joined by a veth pair,
 * driven the way lldpad is: one {@code vdptool -W} call per VSI, each waiting for the bridge's response.
 *
 * <p>The calls run from one shell script inside the station's namespace, as an operator's loop would, not one
 * {@code ip netns exec} per call from this JVM: that costs a mount namespace, a remount of /sys and two process
 * starts per call, 3 to 5 ms that are the harness's and not lldpad's, and it made lldpad look half as fast as a shell
 * loop over vdptool. What starting one vdptool process costs there is measured on its own ({@code vdptool -v}, which
 * connects to lldpad and does nothing else), so that a reader can take it out; so is the one {@code ip netns exec}
 * that runs a script.
 */
public final class LldpadRate {

    private static final Logger LOG = LoggerFactory.getLogger(LldpadRate.class);
    private static final Duration EVB_WAIT = Duration.ofSeconds(30);
    /** vdptool -W waits 5 s for a response: far more than the scripts need unless lldpad stops answering. */
    private static final Duration PER_CALL_LIMIT = Duration.ofSeconds(6);
    private static final String RESPONSE = "Response from VDP";

    private LldpadRate() {
    }

    /**
     * One run.
     *
     * @param vsis               VSIs associated, one vdptool call each
     * @param seconds            the calls' time, without the one {@code ip netns exec} that ran them
     * @param vdptoolStartMillis starting one vdptool process that connects to lldpad and exits
     * @param netnsExecMillis    the one {@code ip netns exec} of a script, taken out of {@code seconds}
     */
    public record Result(int vsis, double seconds, double vdptoolStartMillis, double netnsExecMillis) {
        public double perSecond() {
            return vsis / seconds;
        }

        /** The rate with each call's process start taken out: what lldpad's own exchange allows. */
        public double perSecondWithoutProcessStart() {
            return vsis / Math.max(seconds - vsis * vdptoolStartMillis / 1e3, 1e-9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d VSIs in %.3f s = %.1f/s (%.1f/s without the %.2f ms start of each vdptool)", vsis,
                    seconds, perSecond(), perSecondWithoutProcessStart(), vdptoolStartMillis);
        }
    }

    /** lldpad station to lldpad bridge, one {@code vdptool -T -W} call per VSI from a script in the station's namespace. */
    public static Result measure(BenchLab lab, int vsis) {
        if (vsis > 0xFFFF) {
            throw new IllegalArgumentException("at most 65535 lldpad VSIs (their MACs number them), not " + vsis);
        }
        try (VethNamespaces ns = lab.vethPair("rate-lst", "02:00:00:00:0d:11", "rate-lbr", "02:00:00:00:0d:12")) {
            Lldpad bridge = ns.track(Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true)));
            Lldpad station = ns.track(Lldpad.start(ns.a(), ns.ifA(), LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true)));
            station.waitForEvbPeer(EVB_WAIT);
            bridge.waitForEvbPeer(EVB_WAIT);
            lab.checkCancelled();
            double netnsExec = run(ns.a(), ":\n", 1).seconds;
            StringBuilder starts = new StringBuilder();
            StringBuilder associations = new StringBuilder();
            for (int i = 0; i < vsis; i++) {
                starts.append("vdptool -v >/dev/null\n");
                associations.append(String.format(Locale.ROOT, "vdptool -i %s -T -W -V assoc -c mode=assoc -c mgrid2=%s -c typeid=%d"
                                + " -c typeidver=1 -c uuid=7a3b0c1d-0000-4000-8000-%012d -c hints=none -c filter=0-02:00:00:20:%02x:%02x-%d\n",
                        ns.ifA(), AssociationRate.MANAGER, AssociationRate.TYPE_ID, i, i >> 8, i & 0xFF,
                        AssociationRate.FIRST_VN + i % AssociationRate.VNS));
            }
            lab.checkCancelled();
            double startSeconds = Math.max(0, run(ns.a(), starts.toString(), vsis).seconds - netnsExec);
            lab.checkCancelled();
            Script assoc = run(ns.a(), associations.toString(), vsis);
            // vdptool -W exits 0 without output when no response came within its 5 s.
            int answered = count(assoc.out, RESPONSE);
            if (answered != vsis) {
                throw new IllegalStateException(answered + " of " + vsis + " lldpad associations got a VDP response");
            }
            Result r = new Result(vsis, Math.max(assoc.seconds - netnsExec, 1e-9), startSeconds * 1e3 / vsis, netnsExec * 1e3);
            LOG.info("associations, lldpad: {}", r);
            return r;
        }
    }

    private record Script(double seconds, String out) {
    }

    /** Runs a script with {@code sh} inside the namespace, from a file (thousands of calls do not fit an argument). */
    private static Script run(NetworkNamespace ns, String script, int calls) {
        Path file = null;
        try {
            file = Files.createTempFile("snv-bench-", ".sh");
            Files.writeString(file, script, StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            String out = ns.exec(PER_CALL_LIMIT.multipliedBy(calls), "sh", file.toString());
            return new Script((System.nanoTime() - t0) / 1e9, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bench's vdptool script", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover script in the temporary directory is harmless.
                }
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }
}
