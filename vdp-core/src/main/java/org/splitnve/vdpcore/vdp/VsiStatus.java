package org.splitnve.vdpcore.vdp;

import java.util.Objects;

/**
 * The status octet of a VSI association TLV, in logical form. In a request the 0x20 and 0x10 bits
 * are S and M; in a response they are keep and hard error. Which bit carries the project's
 * migration-indication-valid flag is a code point ({@link org.splitnve.vdpcore.CodePoints}), so the
 * codec maps it, not this value.
 */
public final class VsiStatus {

    public static final VsiStatus REQUEST = new Builder().build();

    private final boolean response;
    private final boolean migrationIndicationValid;
    private final boolean m;
    private final boolean s;
    private final boolean keep;
    private final boolean hardError;
    private final VdpErrorCode error;

    private VsiStatus(Builder b) {
        if (b.response && (b.m || b.s)) {
            throw new IllegalArgumentException("M and S belong to requests; a response carries keep and hard error");
        }
        if (!b.response && b.migrationIndicationValid && b.m && b.s) {
            throw new IllegalArgumentException("M and S together are invalid when the migration indication is valid (error 1)");
        }
        if (!b.response && (b.keep || b.hardError || !b.error.isSuccess())) {
            throw new IllegalArgumentException("keep, hard error and error codes belong to responses");
        }
        this.response = b.response;
        this.migrationIndicationValid = b.migrationIndicationValid;
        this.m = b.m;
        this.s = b.s;
        this.keep = b.keep;
        this.hardError = b.hardError;
        this.error = b.error;
    }

    public static Builder request() {
        return new Builder();
    }

    public static Builder response() {
        return new Builder().response(true);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.response = response;
        b.migrationIndicationValid = migrationIndicationValid;
        b.m = m;
        b.s = s;
        b.keep = keep;
        b.hardError = hardError;
        b.error = error;
        return b;
    }

    public boolean isResponse() {
        return response;
    }

    /** Request: M and S are authoritative. Response: the bridge echoes that it supports this. */
    public boolean migrationIndicationValid() {
        return migrationIndicationValid;
    }

    /** Request only: the VSI user is migrating to this station. */
    public boolean m() {
        return m;
    }

    /** Request only: the VSI user is migrating away from this station, or is suspended. */
    public boolean s() {
        return s;
    }

    /** Response only: the request was refused and the previous state is kept. */
    public boolean keep() {
        return keep;
    }

    /** Response only. */
    public boolean hardError() {
        return hardError;
    }

    public VdpErrorCode error() {
        return error;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VsiStatus v && v.response == response && v.migrationIndicationValid == migrationIndicationValid
                && v.m == m && v.s == s && v.keep == keep && v.hardError == hardError && v.error == error;
    }

    @Override
    public int hashCode() {
        return Objects.hash(response, migrationIndicationValid, m, s, keep, hardError, error.value());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(response ? "response" : "request");
        if (migrationIndicationValid) {
            sb.append(" mi-valid");
        }
        if (m) {
            sb.append(" M");
        }
        if (s) {
            sb.append(" S");
        }
        if (keep) {
            sb.append(" keep");
        }
        if (hardError) {
            sb.append(" hard-error");
        }
        if (response) {
            sb.append(" error=").append(error);
        }
        return sb.toString();
    }

    public static final class Builder {
        private boolean response;
        private boolean migrationIndicationValid;
        private boolean m;
        private boolean s;
        private boolean keep;
        private boolean hardError;
        private VdpErrorCode error = VdpErrorCode.SUCCESS;

        private Builder() {
        }

        public Builder response(boolean v) {
            response = v;
            return this;
        }

        public Builder migrationIndicationValid(boolean v) {
            migrationIndicationValid = v;
            return this;
        }

        public Builder m(boolean v) {
            m = v;
            return this;
        }

        public Builder s(boolean v) {
            s = v;
            return this;
        }

        public Builder keep(boolean v) {
            keep = v;
            return this;
        }

        public Builder hardError(boolean v) {
            hardError = v;
            return this;
        }

        public Builder error(VdpErrorCode v) {
            error = Objects.requireNonNull(v, "error");
            return this;
        }

        public VsiStatus build() {
            return new VsiStatus(this);
        }
    }
}
