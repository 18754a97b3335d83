package org.splitnve.tnve;

import java.time.Duration;
import java.util.function.Consumer;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** One request to one bridge, outstanding or waiting behind another: what it asks, why, and who hears how it ended. */
final class PendingRequest {

    /** Why a request is sent: the state change it is for decides what silence does to the VSI. */
    enum Kind {
        /** An API operation: no answer means the VSI is gone (as lldpad), so it returns to Init. */
        OPERATION(StationTsiMachine.Event.OPERATION_UNANSWERED),
        /** The periodic refresh: no answer means the bridge is suspect, not that the VSI is gone. */
        KEEP_ALIVE(StationTsiMachine.Event.KEEP_ALIVE_UNANSWERED),
        /** Putting back what a bridge lost (restart, failover, re-assignment). */
        REESTABLISH(StationTsiMachine.Event.RE_ESTABLISH_UNANSWERED),
        /** A De-Associate owed to a bridge the station left: sent again on a schedule of its own until the bridge answers. */
        RELEASE(StationTsiMachine.Event.RE_ESTABLISH_UNANSWERED);

        /** The event of this kind of request going unanswered. */
        final StationTsiMachine.Event unanswered;

        Kind(StationTsiMachine.Event unanswered) {
            this.unanswered = unanswered;
        }
    }

    final Kind kind;
    final VdpTlvType type;
    final VsiStatus status;
    final String purpose;
    final Consumer<Outcome> callback;
    /** Only for a deliberate defect that sends a refused request again later. */
    Scheduler.Timer timer;
    /** The response wait, and while it runs, where {@link ResponseWaits} keeps it: in deadline order, on a binding. */
    Duration wait;
    long deadline;
    Binding waitingOn;
    PendingRequest earlier;
    PendingRequest later;
    /** How many times it was sent again after a failure that may pass ({@link RetryPolicy}). */
    int retries;

    PendingRequest(Kind kind, VdpTlvType type, VsiStatus status, String purpose, Consumer<Outcome> callback) {
        StationTsiMachine.accepted(type); // throws for a type the state machine has no answer for: a bug here
        this.kind = kind;
        this.type = type;
        this.status = status;
        this.purpose = purpose;
        this.callback = callback;
    }

    /** Whether it asks the bridge to drop the VSI. */
    boolean deAssociate() {
        return type == VdpTlvType.DE_ASSOCIATE;
    }
}
