package org.splitnve.nnve.nva;

/**
 * The two tables an NVA keeps (RFC 8394 3.2): addresses of Associated TSIs go to the mapping view
 * only; Activated TSIs are in the forwarding view as well, since only they may carry traffic.
 */
public enum NvaView {
    MAPPING,
    FORWARDING
}
