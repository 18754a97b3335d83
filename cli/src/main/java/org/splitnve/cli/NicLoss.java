package org.splitnve.cli;

import java.util.concurrent.CountDownLatch;
import org.splitnve.ecptransport.link.Link;

/**
 * Ends a running {@code bridge} or {@code station} when its NIC is gone for good: the port reopens a NIC that went down
 * or away for as long as {@code --nic-wait} says ({@code ResilientLink}), and when it gives up, the command stops as a
 * signal would stop it, prints one line and exits {@value #EXIT}.
 */
final class NicLoss {

    /** The exit code of a command whose NIC disappeared for good. */
    static final int EXIT = 3;

    private volatile String why;

    private NicLoss() {
    }

    /** Watches {@code link}; when it gives up on its interface, {@code stop} is counted down. */
    static NicLoss watch(Link link, CountDownLatch stop) {
        NicLoss loss = new NicLoss();
        link.onFailure((name, e) -> {
            loss.why = e.getMessage();
            stop.countDown();
        });
        return loss;
    }

    boolean happened() {
        return why != null;
    }

    /** The one line a user reads. */
    String line() {
        return "the NIC is gone: " + why;
    }
}
