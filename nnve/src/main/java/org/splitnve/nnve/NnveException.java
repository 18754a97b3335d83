package org.splitnve.nnve;

/** Why an nNVE operation asked through the API could not be done. */
public class NnveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NnveException(String message) {
        super(message);
    }

    public NnveException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The TSI is not held (it is in INIT). */
    public static final class UnknownTsi extends NnveException {
        private static final long serialVersionUID = 1L;

        public UnknownTsi(TsiKey key) {
            super("no TSI " + key);
        }
    }

    /** The VN is not connected on the port, or the port is unknown. */
    public static final class UnknownVap extends NnveException {
        private static final long serialVersionUID = 1L;

        public UnknownVap(String message) {
            super(message);
        }
    }

    /** The nNVE's own request was applied locally but ECP could not deliver it to the station. */
    public static final class Undelivered extends NnveException {
        private static final long serialVersionUID = 1L;

        public Undelivered(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The change does not apply to the TSI as it is: a deactivate of a TSI that is not Activated, a removal of
     * addresses it does not have, or of all of them (that is a De-Associate).
     */
    public static final class InvalidChange extends NnveException {
        private static final long serialVersionUID = 1L;

        public InvalidChange(String message) {
            super(message);
        }
    }

    /** The nNVE is closed. */
    public static final class Closed extends NnveException {
        private static final long serialVersionUID = 1L;

        public Closed() {
            super("the nNVE is closed");
        }
    }
}
