package org.splitnve.ecptransport.auth;

import java.util.Objects;

/**
 * The source of a port's authorizations (hostapd, wpa_supplicant) was attached, or lost: while it is lost nothing is
 * newly authorized, and what was authorized stays so until the source is attached again and read.
 *
 * @param port     the port it speaks for
 * @param attached whether it is attached from now on
 * @param detail   why, for logs
 */
public record AuthorizationSourceEvent(String port, boolean attached, String detail) {

    public AuthorizationSourceEvent {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(detail, "detail");
    }
}
