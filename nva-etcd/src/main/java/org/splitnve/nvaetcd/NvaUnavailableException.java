package org.splitnve.nvaetcd;

/**
 * The etcd NVA cannot answer now: etcd is unreachable, the session is resynchronising, or the NVA is closed. The
 * nNVE answers the VDP request that waited for it with error 3 (unable to contact the VSI manager).
 */
public final class NvaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NvaUnavailableException(String message) {
        super(message);
    }

    /** The failure of a call made after the NVA of {@code nveName} was closed. */
    static NvaUnavailableException closed(String nveName) {
        return new NvaUnavailableException("the etcd NVA of " + nveName + " is closed");
    }
}
