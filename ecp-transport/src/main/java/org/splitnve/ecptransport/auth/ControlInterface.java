package org.splitnve.ecptransport.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One client of a hostapd or wpa_supplicant control interface ({@code ctrl_interface=DIR}, socket {@code DIR/IFACE}):
 * a command socket for requests and their replies, and a monitor socket that sends {@code ATTACH} and then receives
 * the daemon's unsolicited events. Two sockets, as the daemons' own command-line clients use them, so that an event
 * can never be taken for the reply to a request. Each socket is bound to a path of its own in the caller's private
 * directory, since the daemon answers to the sender's path.
 *
 * <p>Everything read is bounded: a datagram is at most {@link #MAX_DATAGRAM} octets (larger ones are counted and
 * dropped, never read in part), and every wait has a timeout.
 */
final class ControlInterface implements AutoCloseable {

    /**
     * The largest datagram read. hostapd and wpa_supplicant answer in at most 4096 octets; events can be larger (a
     * peer certificate in hex), and those are the only ones that come near this.
     */
    static final int MAX_DATAGRAM = 16 * 1024;

    /** The daemon said it is going away, or stopped answering: the caller attaches again later. */
    static final class Gone extends IOException {
        private static final long serialVersionUID = 1L;

        Gone(String why) {
            super(why);
        }
    }

    private final Path daemon;
    private final UnixDatagramSocket command;
    private final UnixDatagramSocket monitor;
    private final byte[] buffer = new byte[MAX_DATAGRAM];
    private long oversized;
    private boolean attached;

    private ControlInterface(Path daemon, UnixDatagramSocket command, UnixDatagramSocket monitor) {
        this.daemon = daemon;
        this.command = command;
        this.monitor = monitor;
    }

    /**
     * Binds the two client sockets in {@code clientDir} (named after {@code name}) and connects them to the daemon's.
     *
     * @throws IOException if the daemon's socket is not there or refuses (it is not running)
     */
    static ControlInterface open(Path daemon, Path clientDir, String name) throws IOException {
        UnixDatagramSocket c = bound(clientDir.resolve(name + "-c"));
        UnixDatagramSocket m = null;
        try {
            c.connect(daemon);
            m = bound(clientDir.resolve(name + "-m"));
            m.connect(daemon);
            return new ControlInterface(daemon, c, m);
        } catch (IOException | RuntimeException e) {
            release(c);
            if (m != null) {
                release(m);
            }
            throw e;
        }
    }

    private static UnixDatagramSocket bound(Path path) throws IOException {
        // A socket left behind by a client that crashed would make the bind fail.
        Files.deleteIfExists(path);
        return UnixDatagramSocket.bind(path);
    }

    Path daemon() {
        return daemon;
    }

    /** Datagrams dropped because they did not fit {@link #MAX_DATAGRAM}. */
    long oversized() {
        return oversized;
    }

    /**
     * Sends a request and returns the reply as text.
     *
     * @throws Gone        if no reply came within {@code timeout} (a late one would be taken for the next reply, so
     *                     the caller must not use this connection again)
     * @throws IOException if the daemon's socket refuses (it is gone) or the reply did not fit
     */
    String request(String request, Duration timeout) throws IOException {
        command.send(request.getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Gone("no reply to " + firstWord(request) + " within " + timeout.toMillis() + " ms");
            }
            Optional<UnixDatagramSocket.Received> r = command.receive(buffer, Duration.ofNanos(left));
            if (r.isEmpty()) {
                continue;
            }
            if (r.get().truncated()) {
                oversized++;
                throw new IOException("the reply to " + firstWord(request) + " is " + r.get().length() + " octets, more than "
                        + MAX_DATAGRAM);
            }
            return new String(buffer, 0, r.get().length(), StandardCharsets.UTF_8);
        }
    }

    /** Asks for events on the monitor socket; the daemon answers {@code OK}. */
    void attach(Duration timeout) throws IOException {
        monitor.send("ATTACH".getBytes(StandardCharsets.US_ASCII));
        Optional<UnixDatagramSocket.Received> r = monitor.receive(buffer, timeout);
        if (r.isEmpty()) {
            throw new Gone("no reply to ATTACH within " + timeout.toMillis() + " ms");
        }
        String reply = new String(buffer, 0, Math.min(r.get().length(), buffer.length), StandardCharsets.UTF_8).strip();
        if (!reply.equals("OK")) {
            throw new IOException("ATTACH answered '" + ControlText.printable(reply, 40) + "', not OK");
        }
        attached = true;
    }

    /**
     * Waits at most {@code wait} for one event and returns it without its {@code <N>} priority prefix. Empty when
     * none came, or when the one that came was too large (counted in {@link #oversized()}).
     */
    Optional<String> event(Duration wait) throws IOException {
        Optional<UnixDatagramSocket.Received> r = monitor.receive(buffer, wait);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        if (r.get().truncated()) {
            oversized++;
            return Optional.empty();
        }
        return Optional.of(ControlText.withoutPriority(new String(buffer, 0, r.get().length(), StandardCharsets.UTF_8)));
    }

    /** Detaches (without waiting for the answer), closes both sockets and removes their paths. */
    @Override
    public void close() {
        if (attached) {
            try {
                monitor.send("DETACH".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // The daemon is gone; it has nothing to detach.
            }
            attached = false;
        }
        release(command);
        release(monitor);
    }

    private static void release(UnixDatagramSocket s) {
        s.close();
        try {
            Files.deleteIfExists(s.path());
        } catch (IOException ignored) {
            // The private directory goes when the follower closes.
        }
    }

    private static String firstWord(String request) {
        int space = request.indexOf(' ');
        return space < 0 ? request : request.substring(0, space);
    }
}
