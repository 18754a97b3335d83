package org.splitnve.ecptransport.link;

/** A frame could not be handed to the medium, or a link could not be opened. */
public class LinkException extends Exception {
    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
