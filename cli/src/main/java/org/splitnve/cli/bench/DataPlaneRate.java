package org.splitnve.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.testsupport.Trafgen;

/**
 * Frames per second through one {@link ForwardingPaths forwarding path}: trafgen offers a fixed frame at fixed rates,
 * doubling from {@link #FIRST_RATE}, each for a step's length, until the first step that loses 0.1 % or more of its
 * frames (the point of loss) or that the generator itself cannot keep up with; a first step at the lowest rate warms
 * the forwarder up and does not count. Offered is what trafgen sent, over
 * its run time; forwarded is what the sink's interface counted. The generator, the forwarder and the receiving
 * kernel share the machine's cores, so on a small machine the figures are those of the whole chain.
 */
public final class DataPlaneRate {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneRate.class);

    static final long FIRST_RATE = 25_000;
    static final long LAST_RATE = 1_600_000;
    /** The loss that ends the sweep: 0.1 %. */
    static final double LOSS_LIMIT = 0.001;
    /** A step whose offered rate falls this far short of the asked one found the generator's ceiling. */
    static final double GENERATOR_SHORTFALL = 0.9;
    /** How long frames still in flight get to arrive after the generator stops. */
    private static final long DRAIN_MILLIS = 300;

    private DataPlaneRate() {
    }

    /**
     * One rate.
     *
     * @param asked     frames per second asked of trafgen
     * @param sent      frames trafgen sent
     * @param arrived   frames the sink counted
     * @param seconds   trafgen's run time
     */
    public record Step(long asked, long sent, long arrived, double seconds) {
        public double offered() {
            return sent / seconds;
        }

        public double forwarded() {
            return Math.min(arrived, sent) / seconds;
        }

        /** Lost frames as a fraction of those sent. */
        public double loss() {
            return sent == 0 ? 0 : (double) (sent - Math.min(sent, arrived)) / sent;
        }
    }

    /**
     * A sweep.
     *
     * @param steps every rate tried, in order
     * @param why   what ended it
     */
    public record Result(ForwardingPaths path, int octets, List<Step> steps, String why) {

        /** The highest rate offered with less than 0.1 % loss; 0 when even the first lost more. */
        public double lossFreeRate() {
            return steps.stream().filter(s -> s.loss() < LOSS_LIMIT).mapToDouble(Step::offered).max().orElse(0);
        }

        /** The most frames per second that arrived in any step. */
        public double peakForwarded() {
            return steps.stream().mapToDouble(Step::forwarded).max().orElse(0);
        }

        /** {@code 25k -> 25k (0.00 %), 50k -> ...}. */
        public String stepsText() {
            return steps.stream().map(s -> String.format(Locale.ROOT, "%s/s -> %s/s (%.2f %%)", BenchReport.number(s.offered()),
                    BenchReport.number(s.forwarded()), 100 * s.loss())).collect(Collectors.joining(", "));
        }
    }

    /** Sweeps the rates through {@code path} with frames of {@code octets} (untagged), each rate for {@code step}. */
    public static Result measure(BenchLab lab, ForwardingPaths path, int octets, Duration step) throws Exception {
        ForwardingPaths.Chain chain = path.setUp(lab, octets);
        try {
            // A first step that does not count: the forwarder's code is interpreted until the JIT has compiled it.
            Step warmup = step(chain, FIRST_RATE, step);
            LOG.info("{} {} octets: warm-up at {}/s, loss {} %", path.row(), octets, FIRST_RATE, String.format(Locale.ROOT, "%.3f", 100 * warmup.loss()));
            List<Step> steps = new ArrayList<>();
            String why = "reached " + LAST_RATE + " frames/s without loss";
            for (long rate = FIRST_RATE; rate <= LAST_RATE; rate *= 2) {
                lab.checkCancelled();
                Step s = step(chain, rate, step);
                steps.add(s);
                LOG.info("{} {} octets: asked {}/s, offered {}/s, forwarded {}/s, loss {} %", path.row(), octets, rate,
                        Math.round(s.offered()), Math.round(s.forwarded()), String.format(Locale.ROOT, "%.3f", 100 * s.loss()));
                if (s.loss() >= LOSS_LIMIT) {
                    why = "loss from " + BenchReport.number(s.offered()) + " frames/s";
                    break;
                }
                if (s.offered() < GENERATOR_SHORTFALL * rate) {
                    why = "the generator's ceiling, " + BenchReport.number(s.offered()) + " frames/s";
                    break;
                }
            }
            return new Result(path, octets, steps, why);
        } finally {
            chain.pair().close();
        }
    }

    private static Step step(ForwardingPaths.Chain chain, long rate, Duration length) throws InterruptedException {
        long frames = Math.max(1, rate * length.toMillis() / 1000);
        long before = Trafgen.rxPackets(chain.sink(), ForwardingPaths.SINK);
        Trafgen.Run run = Trafgen.send(chain.gen(), ForwardingPaths.GEN, chain.frame(), rate, frames, length.plusSeconds(30));
        Thread.sleep(DRAIN_MILLIS);
        long arrived = Trafgen.rxPackets(chain.sink(), ForwardingPaths.SINK) - before;
        return new Step(rate, run.frames(), arrived, run.seconds());
    }
}
