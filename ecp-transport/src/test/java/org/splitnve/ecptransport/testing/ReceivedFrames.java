package org.splitnve.ecptransport.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.splitnve.ecptransport.link.Link;

/** Collects a copy of every frame a link delivers, for the live link tests to wait on and compare. */
public final class ReceivedFrames {

    public final List<byte[]> frames = new CopyOnWriteArrayList<>();

    public ReceivedFrames(Link link) {
        link.addListener((f, t) -> {
            byte[] copy = new byte[f.remaining()];
            f.get(copy);
            frames.add(copy);
        });
    }

    /** Waits up to 10 s for {@code n} frames. */
    public void await(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frames.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
