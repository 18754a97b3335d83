package org.splitnve.tnve;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.splitnve.vdpcore.vdp.ManagerId;

/**
 * Station policy.
 *
 * @param responseTimeout     overrides {@code VdpTimers.responseWait} when present
 * @param reserveResources    associate with Pre-Associate-RR instead of Pre-Associate
 * @param migrationIndication set 0x80 (docs/PROTOCOL.md 4.2) to bridges that have not shown themselves legacy
 * @param deactivateFallback  what to do when a bridge refuses Associate -> Pre-Associate
 * @param anchorManagerId     the Manager ID of the VN anchor VSIs an explicit VN_Connect uses
 * @param retry               when a request refused with error 2 and keep, or not delivered, is sent again
 * @param faults              deliberate defects, for the conformance suite's mutation tests only; empty by default
 */
public record TnveConfig(Optional<Duration> responseTimeout, boolean reserveResources, boolean migrationIndication,
                         DeactivateFallback deactivateFallback, ManagerId anchorManagerId, RetryPolicy retry, Set<StationFault> faults) {

    /** What the station does when a (legacy) bridge refuses to deactivate. */
    public enum DeactivateFallback {
        /** Leave the TSI Activated (restoring it if the bridge dropped it) and fail the request. */
        KEEP_ACTIVE,
        /** De-Associate, then Pre-Associate again, so the TSI ends Associated; the request still reports it. */
        DEASSOCIATE,
        /** Only fail the request; the TSI is where the bridge's answer left it. */
        FAIL
    }

    public static final TnveConfig DEFAULT = builder().build();

    public TnveConfig {
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(deactivateFallback, "deactivateFallback");
        Objects.requireNonNull(anchorManagerId, "anchorManagerId");
        Objects.requireNonNull(retry, "retry");
        faults = Set.copyOf(faults);
        responseTimeout.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a response timeout is positive: " + d);
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.responseTimeout = responseTimeout.orElse(null);
        b.reserveResources = reserveResources;
        b.migrationIndication = migrationIndication;
        b.deactivateFallback = deactivateFallback;
        b.anchorManagerId = anchorManagerId;
        b.retry = retry;
        b.faults = faults;
        return b;
    }

    /** Builds a {@link TnveConfig}; defaults: VDP response wait, no reservation, indication on, KEEP_ACTIVE, {@link RetryPolicy#DEFAULT}. */
    public static final class Builder {
        private Duration responseTimeout;
        private boolean reserveResources;
        private boolean migrationIndication = true;
        private DeactivateFallback deactivateFallback = DeactivateFallback.KEEP_ACTIVE;
        private ManagerId anchorManagerId = ManagerId.ofName("splitnve-anchor");
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Collection<StationFault> faults = Set.of();

        private Builder() {
        }

        public Builder responseTimeout(Duration d) {
            responseTimeout = d;
            return this;
        }

        public Builder reserveResources(boolean v) {
            reserveResources = v;
            return this;
        }

        public Builder migrationIndication(boolean v) {
            migrationIndication = v;
            return this;
        }

        public Builder deactivateFallback(DeactivateFallback v) {
            deactivateFallback = Objects.requireNonNull(v);
            return this;
        }

        public Builder anchorManagerId(ManagerId v) {
            anchorManagerId = Objects.requireNonNull(v);
            return this;
        }

        /** When a request refused with error 2 and keep, or not delivered, is sent again. */
        public Builder retry(RetryPolicy v) {
            retry = Objects.requireNonNull(v);
            return this;
        }

        /** Deliberate defects to switch on: for the conformance suite's mutation tests only. */
        public Builder faults(Collection<StationFault> v) {
            faults = Objects.requireNonNull(v);
            return this;
        }

        public Builder faults(StationFault... v) {
            return faults(List.of(v));
        }

        public TnveConfig build() {
            return new TnveConfig(Optional.ofNullable(responseTimeout), reserveResources, migrationIndication, deactivateFallback,
                    anchorManagerId, retry, Set.copyOf(faults));
        }
    }
}
