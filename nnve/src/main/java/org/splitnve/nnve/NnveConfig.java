package org.splitnve.nnve;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of an {@link Nnve}.
 *
 * @param firstTag                first VID of the local tag range (default 2)
 * @param lastTag                 last VID of the local tag range (default 4094)
 * @param tagDomain               a tag space per port, or one shared by every port (a bridge domain)
 * @param maxTsisPerPort          TSIs (Associated or Activated) one port may hold; more: error 2
 * @param maxTsis                 TSIs the nNVE may hold in total; more: error 2
 * @param maxTsisPerStation       TSIs one station may hold on a port; more: error 2
 * @param maxVnsPerStation        VNs the TSIs of one station on a port may be in; a TSI in one more: error 2
 * @param maxVnsPerPort           VNs connected on one port; one more: error 2
 * @param nveName                 this NVE's underlay identity, as published in every mapping
 * @param echoMigrationIndication echo status bit 0x80 when a request carries it (docs/PROTOCOL.md 4.2)
 * @param migrationHook           fire {@link DataPlaneListener#onActivatedWithMigration}
 * @param faults                  deliberate defects, for the conformance suite's mutation tests only; empty by default
 */
public record NnveConfig(int firstTag, int lastTag, TagDomain tagDomain, int maxTsisPerPort, int maxTsis, int maxTsisPerStation,
                         int maxVnsPerStation, int maxVnsPerPort, String nveName, boolean echoMigrationIndication, boolean migrationHook,
                         Set<BridgeFault> faults) {

    public static final NnveConfig DEFAULT = builder().build();

    public NnveConfig {
        new LocalTagPool(firstTag, lastTag); // validates the range
        Objects.requireNonNull(tagDomain, "tagDomain");
        Objects.requireNonNull(nveName, "nveName");
        if (maxTsisPerPort < 1 || maxTsis < 1 || maxTsisPerStation < 1) {
            throw new IllegalArgumentException("TSI limits are at least 1: " + maxTsisPerPort + ", " + maxTsis + ", " + maxTsisPerStation);
        }
        if (maxVnsPerStation < 1 || maxVnsPerPort < 1) {
            throw new IllegalArgumentException("VN limits are at least 1: " + maxVnsPerStation + ", " + maxVnsPerPort);
        }
        if (nveName.isBlank()) {
            throw new IllegalArgumentException("the NVE name is not blank");
        }
        faults = Set.copyOf(faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().tagRange(firstTag, lastTag).tagDomain(tagDomain).maxTsisPerPort(maxTsisPerPort).maxTsis(maxTsis)
                .maxTsisPerStation(maxTsisPerStation).maxVnsPerStation(maxVnsPerStation).maxVnsPerPort(maxVnsPerPort).nveName(nveName).echoMigrationIndication(echoMigrationIndication).migrationHook(migrationHook).faults(faults);
    }

    public static final class Builder {
        private int firstTag = LocalTagPool.DEFAULT_FIRST;
        private int lastTag = LocalTagPool.DEFAULT_LAST;
        private TagDomain tagDomain = TagDomain.PER_PORT;
        private int maxTsisPerPort = 1_000_000;
        private int maxTsis = 1_000_000;
        private int maxTsisPerStation = 100_000;
        private int maxVnsPerStation = 1024;
        private int maxVnsPerPort = 4094;
        private String nveName = "nve";
        private boolean echoMigrationIndication = true;
        private boolean migrationHook = true;
        private Collection<BridgeFault> faults = Set.of();

        private Builder() {
        }

        public Builder tagRange(int first, int last) {
            firstTag = first;
            lastTag = last;
            return this;
        }

        public Builder tagDomain(TagDomain v) {
            tagDomain = v;
            return this;
        }

        public Builder maxTsisPerPort(int v) {
            maxTsisPerPort = v;
            return this;
        }

        public Builder maxTsis(int v) {
            maxTsis = v;
            return this;
        }

        /** TSIs one station may hold on a port (default 100,000). */
        public Builder maxTsisPerStation(int v) {
            maxTsisPerStation = v;
            return this;
        }

        /** VNs the TSIs of one station on a port may be in (default 1,024): one station cannot take every tag of a port. */
        public Builder maxVnsPerStation(int v) {
            maxVnsPerStation = v;
            return this;
        }

        /** VNs connected on one port (default 4,094, what a tag range can hold). */
        public Builder maxVnsPerPort(int v) {
            maxVnsPerPort = v;
            return this;
        }

        public Builder nveName(String v) {
            nveName = v;
            return this;
        }

        public Builder echoMigrationIndication(boolean v) {
            echoMigrationIndication = v;
            return this;
        }

        public Builder migrationHook(boolean v) {
            migrationHook = v;
            return this;
        }

        /** Deliberate defects to switch on: for the conformance suite's mutation tests only. */
        public Builder faults(Collection<BridgeFault> v) {
            faults = Objects.requireNonNull(v);
            return this;
        }

        public Builder faults(BridgeFault... v) {
            return faults(List.of(v));
        }

        public NnveConfig build() {
            return new NnveConfig(firstTag, lastTag, tagDomain, maxTsisPerPort, maxTsis, maxTsisPerStation, maxVnsPerStation,
                    maxVnsPerPort, nveName, echoMigrationIndication, migrationHook, Set.copyOf(faults));
        }
    }
}
