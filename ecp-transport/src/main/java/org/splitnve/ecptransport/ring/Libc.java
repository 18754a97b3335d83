package org.splitnve.ecptransport.ring;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls a packet socket needs, bound by JNA's direct mapping (a plain native call, no proxy and no
 * argument conversion per call, which matters for the once-per-batch {@code poll} and {@code sendto}). A call that
 * fails throws {@link LastErrorException} carrying errno. Only 64-bit Linux on x86-64 and AArch64 is supported: the
 * constants and struct layouts in {@link Tpacket} are those of that ABI ({@code long} and {@code size_t} are 64 bits).
 */
final class Libc {

    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_RCVBUF = 8;
    static final int SOL_PACKET = 263;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final long SIOCGIFHWADDR = 0x8927;
    static final long SIOCGIFMTU = 0x8921;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOBUFS = 105;
    static final int ENETDOWN = 100;
    static final int ENXIO = 6;
    /** mmap's failure value, {@code (void *) -1}. */
    static final long MAP_FAILED = -1L;

    /** Why packet rings cannot be used in this process, or null when they can; found out once. */
    static final String UNSUPPORTED;

    static {
        String why = null;
        if (!Platform.isLinux()) {
            why = "AF_PACKET rings need Linux (this is " + System.getProperty("os.name") + ")";
        } else if (!Platform.is64Bit() || !(Platform.isIntel() || Platform.isARM())) {
            why = "AF_PACKET rings are built for 64-bit x86 and ARM only (this is " + System.getProperty("os.arch") + ")";
        } else {
            try {
                Native.register(Libc.class, Platform.C_LIBRARY_NAME);
            } catch (UnsatisfiedLinkError e) {
                why = "cannot bind libc through JNA: " + e.getMessage();
            }
        }
        UNSUPPORTED = why;
    }

    private Libc() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length) throws LastErrorException;

    static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    static native Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset) throws LastErrorException;

    static native int munmap(Pointer address, long length) throws LastErrorException;

    static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer address, int addressLength)
            throws LastErrorException;

    static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int if_nametoindex(String name);

    static native String strerror(int errno);
}
