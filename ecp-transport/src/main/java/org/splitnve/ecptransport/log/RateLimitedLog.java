package org.splitnve.ecptransport.log;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The log lines of one port about input it drops or refuses: malformed frames, refused requests, full tables. A
 * neighbour decides how often these happen, so each is counted always but written at most {@code linesPerSecond}
 * times a second per reason; the first line of a reason after some were left out says how many, and {@link #flush}
 * says it for every reason (when the port closes). Never a stack trace: bad input is not a bug of ours.
 *
 * <p>A reason is a constant of the caller's ("malformed ECPDU", "refused error 2"), never built from the input, so
 * that the reasons of a port are few. Safe from any thread.
 */
public final class RateLimitedLog {

    /** Lines per second and reason that {@link #of} allows. */
    public static final int DEFAULT_LINES_PER_SECOND = 5;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** The level a line is written at. */
    public enum Level { DEBUG, INFO, WARN }

    private final Logger logger;
    private final String label;
    private final int linesPerSecond;
    private final LongSupplier clock;
    private final Map<String, Reason> reasons = new ConcurrentHashMap<>();

    /** Counts and window of one reason; guarded by itself. */
    private static final class Reason {
        long total;
        long windowStart = Long.MIN_VALUE;
        int written;
        long suppressed;
        long suppressedSince;
    }

    /**
     * @param logger         the category of the component that drops the input, as operators configure it
     * @param label          names the component and port in the summary lines, e.g. {@code "ecp eth1"}
     * @param linesPerSecond lines per reason and second (at least 1)
     * @param clock          monotonic nanoseconds (the port's scheduler, so that tests run in virtual time)
     */
    public RateLimitedLog(Logger logger, String label, int linesPerSecond, LongSupplier clock) {
        if (linesPerSecond < 1) {
            throw new IllegalArgumentException("at least one line a second: " + linesPerSecond);
        }
        this.logger = Objects.requireNonNull(logger, "logger");
        this.label = Objects.requireNonNull(label, "label");
        this.linesPerSecond = linesPerSecond;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@value #DEFAULT_LINES_PER_SECOND} lines per reason and second on {@code clock}. */
    public static RateLimitedLog of(Logger logger, String label, LongSupplier clock) {
        return new RateLimitedLog(logger, label, DEFAULT_LINES_PER_SECOND, clock);
    }

    /** Counts one {@code reason} and writes the line at WARN if this second's allowance is not used up. */
    public void warn(String reason, String format, Object... args) {
        log(Level.WARN, reason, format, args);
    }

    /** As {@link #warn}, at INFO. */
    public void info(String reason, String format, Object... args) {
        log(Level.INFO, reason, format, args);
    }

    /** As {@link #warn}, at DEBUG: counted always, written only when DEBUG is on. */
    public void debug(String reason, String format, Object... args) {
        log(Level.DEBUG, reason, format, args);
    }

    /**
     * Counts one {@code reason} and writes the line at {@code level} unless {@code linesPerSecond} lines of that reason
     * were written within the last second. A throwable among the arguments is written as its text only.
     */
    public void log(Level level, String reason, String format, Object... args) {
        Reason r = reasons.computeIfAbsent(reason, k -> new Reason());
        long now = clock.getAsLong();
        long suppressed;
        long since;
        synchronized (r) {
            r.total++;
            if (r.windowStart == Long.MIN_VALUE || now - r.windowStart >= WINDOW_NANOS) {
                r.windowStart = now;
                r.written = 0;
            }
            if (r.written >= linesPerSecond) {
                if (r.suppressed++ == 0) {
                    r.suppressedSince = now;
                }
                return;
            }
            r.written++;
            suppressed = r.suppressed;
            since = r.suppressedSince;
            r.suppressed = 0;
        }
        if (suppressed > 0) {
            summary(level, reason, suppressed, now - since);
        }
        write(level, format, withoutStackTraces(args));
    }

    /** Writes, for every reason, how many lines were left out since its last line; the counts stay. */
    public void flush() {
        long now = clock.getAsLong();
        for (Map.Entry<String, Reason> e : reasons.entrySet()) {
            Reason r = e.getValue();
            long suppressed;
            long since;
            synchronized (r) {
                suppressed = r.suppressed;
                since = r.suppressedSince;
                r.suppressed = 0;
            }
            if (suppressed > 0) {
                summary(Level.WARN, e.getKey(), suppressed, now - since);
            }
        }
    }

    /** How often {@code reason} happened, written or not. */
    public long count(String reason) {
        Reason r = reasons.get(reason);
        if (r == null) {
            return 0;
        }
        synchronized (r) {
            return r.total;
        }
    }

    /** Every reason with how often it happened, by name. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        reasons.forEach((k, r) -> {
            synchronized (r) {
                out.put(k, r.total);
            }
        });
        return out;
    }

    private void summary(Level level, String reason, long suppressed, long overNanos) {
        long total = count(reason);
        write(level == Level.DEBUG ? Level.DEBUG : Level.WARN, "{}: {} more lines of '{}' left out over {} ms ({} in all)",
                new Object[] {label, suppressed, reason, overNanos / 1_000_000, total});
    }

    private void write(Level level, String format, Object[] args) {
        switch (level) {
            case DEBUG -> logger.debug(format, args);
            case INFO -> logger.info(format, args);
            case WARN -> logger.warn(format, args);
        }
    }

    /** SLF4J prints a stack trace for a throwable in last place; bad input gets its message only. */
    private static Object[] withoutStackTraces(Object[] args) {
        if (args.length > 0 && args[args.length - 1] instanceof Throwable t) {
            Object[] copy = args.clone();
            copy[copy.length - 1] = String.valueOf(t);
            return copy;
        }
        return args;
    }

    @Override
    public String toString() {
        return "RateLimitedLog[" + label + ", " + counts() + "]";
    }
}
