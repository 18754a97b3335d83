package org.splitnve.tnve;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.vdpcore.MacAddress;

/**
 * A shared medium for tests with more than two ends (a station and several bridges): every frame reaches every
 * other port after a fixed delay, unless one of the two ports is cut off with {@link Port#down}.
 */
final class Hub {

    private final Scheduler scheduler;
    private final Duration delay;
    private final List<Port> ports = new ArrayList<>();

    Hub(Scheduler scheduler, Duration delay) {
        this.scheduler = scheduler;
        this.delay = delay;
    }

    Port port(String name, MacAddress mac) {
        Port p = new Port(name, mac);
        ports.add(p);
        return p;
    }

    final class Port implements Link {
        private final String name;
        private final MacAddress mac;
        private final List<FrameListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean down;

        Port(String name, MacAddress mac) {
            this.name = name;
            this.mac = mac;
        }

        /** Cuts the port off: nothing it sends arrives, nothing reaches it. */
        void down(boolean v) {
            down = v;
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
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            if (down) {
                return;
            }
            for (Port p : ports) {
                if (p != this) {
                    scheduler.schedule(delay, () -> p.receive(copy));
                }
            }
        }

        private void receive(byte[] frame) {
            if (down) {
                return;
            }
            for (FrameListener l : listeners) {
                l.onFrame(ByteBuffer.wrap(frame).asReadOnlyBuffer(), scheduler.nanoTime());
            }
        }

        @Override
        public void addListener(FrameListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(FrameListener listener) {
            listeners.remove(listener);
        }

        @Override
        public void close() {
            down = true;
        }
    }
}
