package org.splitnve.ecptransport.auth;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An {@code AF_UNIX}/{@code SOCK_DGRAM} socket bound to a path, through libc. The JDK has Unix domain sockets only as
 * streams ({@code SocketChannel}), while hostapd's and wpa_supplicant's control interfaces are datagram sockets that
 * answer to the path the client is bound to; so this is the one place the project calls the socket API itself.
 *
 * <p>Waits are bounded ({@code poll(2)} with a timeout, then a non-blocking receive), and a datagram larger than the
 * caller's buffer is reported as {@link Received#truncated()} rather than read in part as if it were whole. One thread
 * owns a socket: it is not safe to receive on one thread and close on another.
 */
final class UnixDatagramSocket implements AutoCloseable {

    /** {@code sun_path} of {@code struct sockaddr_un} is 108 octets, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    /** Same value on every Linux architecture the JDK runs on that uses the generic flags (x86, arm64, riscv). */
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_DONTWAIT = 0x40;
    private static final short POLLIN = 0x1;
    private static final int SOCKADDR_UN_SIZE = 2 + 108;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOENT = 2;
    static final int ECONNREFUSED = 111;

    /** The libc calls needed; errno becomes a {@link LastErrorException}. */
    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int connect(int fd, byte[] address, int length) throws LastErrorException;

        NativeLong send(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        NativeLong recvfrom(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, IntByReference addressLength)
                throws LastErrorException;

        int poll(byte[] fds, NativeLong count, int timeoutMillis) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** Loaded on first use, so that merely referring to this class needs no native library. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /** A datagram received: its length (the whole datagram's, even when it did not fit) and its sender's path. */
    record Received(int length, boolean truncated, Optional<Path> sender) {
    }

    private final Path path;
    private int fd;

    private UnixDatagramSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * A socket bound to {@code path}, which must not exist yet; the caller unlinks it after {@link #close()}.
     *
     * @throws UnixSocketException if the path is too long for {@code sockaddr_un} or the bind fails
     */
    static UnixDatagramSocket bind(Path path) throws UnixSocketException {
        byte[] address = address(path);
        LibC libc = Holder.LIBC;
        int fd;
        try {
            fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new UnixSocketException("socket(AF_UNIX, SOCK_DGRAM)", e.getErrorCode());
        }
        try {
            libc.bind(fd, address, address.length);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new UnixSocketException("bind " + path, e.getErrorCode());
        }
        return new UnixDatagramSocket(path, fd);
    }

    /** Sends from now on only to {@code peer}, and receives only from it. */
    void connect(Path peer) throws UnixSocketException {
        byte[] address = address(peer);
        try {
            Holder.LIBC.connect(open(), address, address.length);
        } catch (LastErrorException e) {
            throw new UnixSocketException("connect to " + peer, e.getErrorCode());
        }
    }

    /** Sends one datagram to the connected peer. */
    void send(byte[] datagram) throws UnixSocketException {
        try {
            Holder.LIBC.send(open(), datagram, new NativeLong(datagram.length), 0);
        } catch (LastErrorException e) {
            throw new UnixSocketException("send to the peer of " + path, e.getErrorCode());
        }
    }

    /** Sends one datagram to {@code peer} (an unconnected socket, as a daemon answers its clients). */
    void sendTo(byte[] datagram, Path peer) throws UnixSocketException {
        byte[] address = address(peer);
        try {
            Holder.LIBC.sendto(open(), datagram, new NativeLong(datagram.length), 0, address, address.length);
        } catch (LastErrorException e) {
            throw new UnixSocketException("send to " + peer, e.getErrorCode());
        }
    }

    /**
     * Waits at most {@code timeout} for one datagram and copies what fits into {@code buffer}.
     *
     * @return empty when nothing came in time
     */
    Optional<Received> receive(byte[] buffer, Duration timeout) throws UnixSocketException {
        int fd = open();
        if (!readable(fd, timeout)) {
            return Optional.empty();
        }
        byte[] from = new byte[SOCKADDR_UN_SIZE];
        IntByReference fromLength = new IntByReference(from.length);
        long n;
        try {
            // MSG_TRUNC: the datagram's real length, so an oversized one is known for what it is.
            n = Holder.LIBC.recvfrom(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT | MSG_TRUNC, from, fromLength)
                    .longValue();
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                return Optional.empty();
            }
            throw new UnixSocketException("receive on " + path, e.getErrorCode());
        }
        int length = (int) Math.min(n, Integer.MAX_VALUE);
        return Optional.of(new Received(length, length > buffer.length, senderPath(from, fromLength.getValue())));
    }

    private static boolean readable(int fd, Duration timeout) throws UnixSocketException {
        // struct pollfd { int fd; short events; short revents; }, in the machine's byte order.
        byte[] pollfd = java.nio.ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort(POLLIN).putShort((short) 0)
                .array();
        int millis = (int) Math.max(0, Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        try {
            return Holder.LIBC.poll(pollfd, new NativeLong(1), millis) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR) {
                return false;
            }
            throw new UnixSocketException("poll", e.getErrorCode());
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            closeQuietly(fd);
            fd = -1;
        }
    }

    private int open() throws UnixSocketException {
        if (fd < 0) {
            throw new UnixSocketException("socket " + path + " is closed", 0);
        }
        return fd;
    }

    private static void closeQuietly(int fd) {
        try {
            Holder.LIBC.close(fd);
        } catch (LastErrorException ignored) {
            // Nothing useful to do: the descriptor is gone either way.
        }
    }

    /** {@code struct sockaddr_un} for a path: the family in the machine's byte order, the path, a NUL. */
    static byte[] address(Path path) throws UnixSocketException {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length == 0 || p.length > MAX_PATH_BYTES) {
            throw new UnixSocketException("socket path " + path + " is " + p.length + " octets; a Unix socket path has 1.."
                    + MAX_PATH_BYTES, 0);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 + p.length + 1).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX).put(p).put((byte) 0);
        return b.array();
    }

    private static Optional<Path> senderPath(byte[] address, int length) {
        int end = Math.min(length, address.length);
        int start = 2;
        int nul = start;
        while (nul < end && address[nul] != 0) {
            nul++;
        }
        // An unbound or abstract sender has no path to answer to.
        return nul == start ? Optional.empty() : Optional.of(Path.of(new String(address, start, nul - start, StandardCharsets.UTF_8)));
    }
}
