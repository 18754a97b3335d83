package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;

/**
 * A port that outlives the NIC handle under it. When the handle fails (the interface went down or was removed, the
 * capture failed: {@link Link#onFailure}) the port is down: sends fail, its {@link StateListener}s hear it, and it
 * opens the interface again, first after {@code firstRetry}, then twice as long each time up to {@code maxRetry}. When
 * that works the port is up again with the same listeners; when it has not worked for {@code giveUpAfter}, the
 * interface is gone for good and the listeners hear that, once. The name and MAC are those of the first handle.
 *
 * <p>State changes and reopening run on the scheduler; sends and listener changes may come from any thread.
 */
public final class ResilientLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientLink.class);

    /** Opens the interface (again). */
    @FunctionalInterface
    public interface Opener {
        Link open() throws LinkException;
    }

    /** Told, on the scheduler, how the port fares. */
    public interface StateListener {
        /** The handle failed; the port is reopened with back-off meanwhile. */
        default void onDown(String why) {
        }

        /** The interface was opened again and frames flow. */
        default void onUp() {
        }

        /** The interface could not be opened again within the time given: the port stays down. */
        default void onGaveUp(String why) {
        }
    }

    /**
     * When a failed handle is opened again.
     *
     * @param firstRetry  the wait before the first attempt
     * @param maxRetry    the longest wait between attempts
     * @param giveUpAfter how long the interface may stay away before the port gives up
     */
    public record Retry(Duration firstRetry, Duration maxRetry, Duration giveUpAfter) {

        /** 1 s doubling to 10 s, for a minute. */
        public static final Retry DEFAULT = new Retry(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1));

        public Retry {
            if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0 || giveUpAfter.isNegative()) {
                throw new IllegalArgumentException("retries: first " + firstRetry + ", longest " + maxRetry + ", give up after " + giveUpAfter);
            }
        }
    }

    private final Opener opener;
    private final Scheduler scheduler;
    private final Retry retry;
    private final String name;
    private final MacAddress mac;
    private final List<FrameListener> listeners = new CopyOnWriteArrayList<>();
    private final List<StateListener> states = new CopyOnWriteArrayList<>();
    private volatile Link current;
    private volatile FailureListener failureListener = (link, e) -> { };
    private volatile boolean closed;
    // ---- the scheduler thread only
    private long downSince;
    private Duration nextWait;
    private Scheduler.Timer reopen;
    private boolean gaveUp;

    private ResilientLink(Opener opener, Scheduler scheduler, Retry retry, Link first) {
        this.opener = opener;
        this.scheduler = scheduler;
        this.retry = retry;
        this.name = first.name();
        this.mac = first.macAddress();
        use(first);
    }

    /**
     * Opens the interface now (its failure is the caller's: a port that never opened is a configuration error) and keeps
     * it open from then on.
     */
    public static ResilientLink open(Opener opener, Scheduler scheduler, Retry retry) throws LinkException {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(retry, "retry");
        return new ResilientLink(Objects.requireNonNull(opener, "opener"), scheduler, retry, opener.open());
    }

    public void addStateListener(StateListener l) {
        states.add(Objects.requireNonNull(l));
    }

    /** Whether a handle is open now. Any thread. */
    public boolean up() {
        return current != null;
    }

    private void use(Link link) {
        synchronized (listeners) {
            current = link;
            for (FrameListener l : listeners) {
                link.addListener(l);
            }
        }
        link.onFailure((n, e) -> {
            try {
                scheduler.execute(() -> failed(link, e));
            } catch (RejectedExecutionException schedulerClosed) {
                LOG.debug("link {}: failure after the scheduler closed: {}", name, e.getMessage());
            }
        });
    }

    private void failed(Link link, LinkException e) {
        if (closed || current != link) {
            return;
        }
        current = null;
        link.close();
        downSince = scheduler.nanoTime();
        nextWait = retry.firstRetry();
        LOG.warn("link {}: down ({}); opening it again in {} ms", name, e.getMessage(), nextWait.toMillis());
        tell(l -> l.onDown(e.getMessage()));
        reopen = scheduler.schedule(nextWait, this::reopen);
    }

    private void reopen() {
        reopen = null;
        if (closed) {
            return;
        }
        Link link;
        try {
            link = opener.open();
        } catch (LinkException | RuntimeException e) {
            long away = scheduler.nanoTime() - downSince;
            if (away >= retry.giveUpAfter().toNanos()) {
                gaveUp = true;
                String why = name + " did not come back within " + retry.giveUpAfter().toSeconds() + " s: " + e.getMessage();
                LOG.error("link {}: giving up: {}", name, why);
                failureListener.onFailure(name, new LinkException(why, e));
                tell(l -> l.onGaveUp(why));
                return;
            }
            nextWait = nextWait.multipliedBy(2).compareTo(retry.maxRetry()) > 0 ? retry.maxRetry() : nextWait.multipliedBy(2);
            LOG.info("link {}: still away ({}); trying again in {} ms", name, e.getMessage(), nextWait.toMillis());
            reopen = scheduler.schedule(nextWait, this::reopen);
            return;
        }
        if (!link.macAddress().equals(mac)) {
            LOG.warn("link {}: opened again with MAC {}, not {}; frames still go out as {}", name, link.macAddress(), mac, mac);
        }
        use(link);
        LOG.info("link {}: up again after {} ms", name, (scheduler.nanoTime() - downSince) / 1_000_000);
        tell(StateListener::onUp);
    }

    private void tell(java.util.function.Consumer<StateListener> event) {
        for (StateListener l : states) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.error("link {}: state listener failed", name, e);
            }
        }
    }

    /** Whether the port gave up on its interface. Scheduler thread. */
    public boolean gaveUp() {
        return gaveUp;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public void send(ByteBuffer frame) throws LinkException {
        Link link = current;
        if (link == null) {
            throw new LinkException(name + (closed ? " is closed" : " is down"));
        }
        link.send(frame);
    }

    @Override
    public void addListener(FrameListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (listeners) {
            listeners.add(listener);
            Link link = current;
            if (link != null) {
                link.addListener(listener);
            }
        }
    }

    @Override
    public void removeListener(FrameListener listener) {
        synchronized (listeners) {
            listeners.remove(listener);
            Link link = current;
            if (link != null) {
                link.removeListener(listener);
            }
        }
    }

    /** Told when the port gives up on its interface for good (not of each failure it recovers from). */
    @Override
    public void onFailure(FailureListener listener) {
        this.failureListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void close() {
        closed = true;
        Link link = current;
        current = null;
        if (link != null) {
            link.close();
        }
        try {
            scheduler.execute(() -> {
                if (reopen != null) {
                    reopen.cancel();
                    reopen = null;
                }
            });
        } catch (RejectedExecutionException schedulerClosed) {
            // nothing is scheduled on a closed scheduler
        }
    }

    @Override
    public String toString() {
        return "ResilientLink[" + name + " " + mac + (current == null ? ", down" : "") + "]";
    }
}
