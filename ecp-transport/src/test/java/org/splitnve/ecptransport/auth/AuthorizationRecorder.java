package org.splitnve.ecptransport.auth;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records what a {@link PortAuthorization} tells, and waits for it (real time: the clients run threads of their own). */
final class AuthorizationRecorder implements PortAuthorizationListener {

    private final List<AuthorizationEvent> events = new CopyOnWriteArrayList<>();
    private final List<AuthorizationSourceEvent> sources = new CopyOnWriteArrayList<>();

    @Override
    public void onAuthorization(AuthorizationEvent e) {
        events.add(e);
    }

    @Override
    public void onSource(AuthorizationSourceEvent e) {
        sources.add(e);
    }

    List<AuthorizationEvent> all() {
        return List.copyOf(events);
    }

    List<AuthorizationSourceEvent> sources() {
        return List.copyOf(sources);
    }

    void clear() {
        events.clear();
        sources.clear();
    }

    /** The first event so far that matches, waiting at most {@code limit} for it. */
    AuthorizationEvent await(Predicate<AuthorizationEvent> p, Duration limit) throws InterruptedException {
        return first(events, p, limit, "authorization event");
    }

    AuthorizationSourceEvent awaitSource(Predicate<AuthorizationSourceEvent> p, Duration limit) throws InterruptedException {
        return first(sources, p, limit, "source event");
    }

    private static <T> T first(List<T> list, Predicate<T> p, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            for (T e : list) {
                if (p.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching " + what + " within " + limit + "; got " + list);
            }
            Thread.sleep(10);
        }
    }
}
