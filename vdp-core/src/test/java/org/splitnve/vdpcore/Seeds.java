package org.splitnve.vdpcore;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The one seed of a test run, for seeded property tests fed to {@code @ParameterizedTest}.
 *
 * <p>The seed comes from the system property {@code seed} ({@code -Dseed=...}); when it is absent
 * or empty a random one is drawn. Either way it is printed once, and every {@link Case} names it,
 * so a failure in CI can be replayed exactly with {@code -Dseed=N}.
 */
public final class Seeds {

    private static final long SEED = init();

    private Seeds() {
    }

    private static long init() {
        String given = System.getProperty("seed", "").trim();
        long seed = given.isEmpty() ? new SecureRandom().nextLong() : Long.parseLong(given);
        System.out.println("property tests: seed " + seed + (given.isEmpty() ? " (random)" : " (from -Dseed)")
                + "; replay with -Dseed=" + seed);
        return seed;
    }

    /** The run's seed. */
    public static long seed() {
        return SEED;
    }

    /**
     * A generator for one named stream of cases. Deriving it from the name as well keeps the cases
     * of one test the same when another test is added or draws more numbers.
     */
    public static SplittableRandom random(String name) {
        return new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + name.hashCode());
    }

    /** "seed S" plus how to replay it, for assertion messages. */
    public static String replay() {
        return "seed " + SEED + " (replay with -Dseed=" + SEED + ")";
    }

    /**
     * {@code n} cases for a {@code @MethodSource}: each gets its own generator split from the named
     * stream, so that what one case draws does not shift the next.
     */
    public static <T> Stream<Arguments> cases(String name, int n, Function<SplittableRandom, T> generator) {
        SplittableRandom root = random(name);
        SplittableRandom[] perCase = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            perCase[i] = root.split();
        }
        return IntStream.range(0, n).mapToObj(i -> Arguments.of(new Case<>(name, i, generator.apply(perCase[i]))));
    }

    /** One generated value, and where it came from. */
    public record Case<T>(String stream, int index, T value) {

        /** For assertion messages: enough to replay this case. */
        public String describe() {
            return stream + " case " + index + ", " + replay() + ": " + value;
        }

        @Override
        public String toString() {
            return stream + " #" + index + " (seed " + SEED + ")";
        }
    }
}
