package org.splitnve.ecptransport.link;

/** A frame could not be handed to the medium, or a link could not be opened. */
public class LinkException extends Exception {

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
