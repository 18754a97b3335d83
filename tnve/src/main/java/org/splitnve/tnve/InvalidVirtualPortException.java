package org.splitnve.tnve;

/** A libvirt {@code <virtualport type='802.1Qbg'>} element that is not well formed or out of range. */
public final class InvalidVirtualPortException extends TnveException {
    private static final long serialVersionUID = 1L;

    public InvalidVirtualPortException(String message) {
        super(message);
    }

    public InvalidVirtualPortException(String message, Throwable cause) {
        super(message, cause);
    }
}
