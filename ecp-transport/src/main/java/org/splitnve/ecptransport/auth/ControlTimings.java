package org.splitnve.ecptransport.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How a control-interface client paces itself: how long it waits for a reply, how often it checks that the daemon is
 * alive (and, for wpa_supplicant, reads its state, since a logoff raises no event), how often it reads the whole state
 * again to heal an event it may have missed, and how it backs off between attempts to attach.
 *
 * @param requestTimeout a reply later than this means the daemon is gone
 * @param pollInterval   a liveness check ({@code PING}, or {@code STATUS}) this often while attached
 * @param resyncInterval the whole state read again this often while attached
 * @param reattachMin    the first wait before attaching again after a failure; it doubles each time
 * @param reattachMax    the longest wait between attempts
 */
public record ControlTimings(Duration requestTimeout, Duration pollInterval, Duration resyncInterval, Duration reattachMin,
                             Duration reattachMax) {

    /** 2 s replies, a check every second, a full read every 30 s, attempts from 250 ms up to every 5 s. */
    public static final ControlTimings DEFAULT = new ControlTimings(Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofMillis(250), Duration.ofSeconds(5));

    public ControlTimings {
        positive(requestTimeout, "requestTimeout");
        positive(pollInterval, "pollInterval");
        positive(resyncInterval, "resyncInterval");
        positive(reattachMin, "reattachMin");
        positive(reattachMax, "reattachMax");
        if (reattachMax.compareTo(reattachMin) < 0) {
            throw new IllegalArgumentException("reattachMax " + reattachMax + " is shorter than reattachMin " + reattachMin);
        }
    }

    public ControlTimings withPollInterval(Duration d) {
        return new ControlTimings(requestTimeout, d, resyncInterval, reattachMin, reattachMax);
    }

    public ControlTimings withResyncInterval(Duration d) {
        return new ControlTimings(requestTimeout, pollInterval, d, reattachMin, reattachMax);
    }

    public ControlTimings withReattach(Duration min, Duration max) {
        return new ControlTimings(requestTimeout, pollInterval, resyncInterval, min, max);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
