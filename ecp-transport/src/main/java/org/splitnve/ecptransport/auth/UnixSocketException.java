package org.splitnve.ecptransport.auth;

import java.io.IOException;

/** A socket call that failed, with the errno it failed with (0 when the check was ours, not the kernel's). */
final class UnixSocketException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    UnixSocketException(String what, int errno) {
        super(errno == 0 ? what : what + ": errno " + errno + " (" + describe(errno) + ")");
        this.errno = errno;
    }

    int errno() {
        return errno;
    }

    private static String describe(int errno) {
        return switch (errno) {
            case UnixDatagramSocket.ENOENT -> "no such socket: the daemon is not running, or another control directory";
            case UnixDatagramSocket.ECONNREFUSED -> "connection refused: the daemon is gone";
            case UnixDatagramSocket.EAGAIN -> "would block";
            default -> "see errno(3)";
        };
    }
}
