package org.splitnve.tnve;

import org.splitnve.vdpcore.vdp.LocalTag;

/** How one request to one bridge ended. */
sealed interface Outcome permits Outcome.Success, Outcome.Failed, Outcome.Moved {

    /** The bridge accepted; {@code tag} is the VID it answered with (null for De-Associate with null VIDs). */
    record Success(LocalTag tag, boolean migrationEchoed) implements Outcome {
    }

    record Failed(TnveException error) implements Outcome {
    }

    /** The bridge was given up (failover) before it answered; the request belongs on another bridge now. */
    record Moved(String why) implements Outcome {
    }
}
