package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * A TSI changed state or addresses (RFC 8394 Figure 6). {@code view} is the TSI after the change,
 * or {@code null} when it went to INIT.
 */
public record TsiEvent(TsiKey key, VnId vn, TsiState oldState, TsiState newState, String why, TsiView view) {
}
