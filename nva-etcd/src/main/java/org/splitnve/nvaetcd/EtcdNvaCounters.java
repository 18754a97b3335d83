package org.splitnve.nvaetcd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What an {@link EtcdNva} did and what went wrong, for logs, events and tests; live values, any thread. */
public final class EtcdNvaCounters {

    final AtomicLong leasesGranted = new AtomicLong();
    final AtomicLong leasesLost = new AtomicLong();
    final AtomicLong sessionFailures = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong watchStarts = new AtomicLong();
    final AtomicLong watchEvents = new AtomicLong();
    final AtomicLong staleEvents = new AtomicLong();
    final AtomicLong backlogOverflows = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong keysWritten = new AtomicLong();
    final AtomicLong writeFailures = new AtomicLong();
    final AtomicLong vnLookups = new AtomicLong();
    final AtomicLong vnLookupsRefused = new AtomicLong();
    final AtomicLong vnsCreated = new AtomicLong();
    final AtomicLong vnConflicts = new AtomicLong();

    EtcdNvaCounters() {
    }

    /** Leases this nNVE was granted (one at start, one after each lease it lost). */
    public long leasesGranted() {
        return leasesGranted.get();
    }

    /** Leases found expired: every mapping under them was gone from etcd and was published anew. */
    public long leasesLost() {
        return leasesLost.get();
    }

    /** Times the session went down (a keep-alive, write, list or watch failed). */
    public long sessionFailures() {
        return sessionFailures.get();
    }

    /** Whole lists of the prefix taken to resynchronise (one at start, one after each failure). */
    public long resyncs() {
        return resyncs.get();
    }

    public long watchStarts() {
        return watchStarts.get();
    }

    public long watchEvents() {
        return watchEvents.get();
    }

    /** Events not newer than what was already known, ignored. */
    public long staleEvents() {
        return staleEvents.get();
    }

    /** Times the watch backlog bound was hit and a resynchronisation replaced the dropped events. */
    public long backlogOverflows() {
        return backlogOverflows.get();
    }

    /** Keys or values under the prefix that this version cannot read, ignored. */
    public long malformed() {
        return malformed.get();
    }

    /** Transactions that wrote this nNVE's mappings. */
    public long writes() {
        return writes.get();
    }

    public long keysWritten() {
        return keysWritten.get();
    }

    /** Writes that failed and were retried. */
    public long writeFailures() {
        return writeFailures.get();
    }

    public long vnLookups() {
        return vnLookups.get();
    }

    /** VN context lookups refused because etcd was not reachable (the nNVE answers error 3). */
    public long vnLookupsRefused() {
        return vnLookupsRefused.get();
    }

    public long vnsCreated() {
        return vnsCreated.get();
    }

    /** VN definitions refused because the name or the VNI belonged to another VN. */
    public long vnConflicts() {
        return vnConflicts.get();
    }

    /** Every counter by name, in a fixed order. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("leasesGranted", leasesGranted());
        m.put("leasesLost", leasesLost());
        m.put("sessionFailures", sessionFailures());
        m.put("resyncs", resyncs());
        m.put("watchStarts", watchStarts());
        m.put("watchEvents", watchEvents());
        m.put("staleEvents", staleEvents());
        m.put("backlogOverflows", backlogOverflows());
        m.put("malformed", malformed());
        m.put("writes", writes());
        m.put("keysWritten", keysWritten());
        m.put("writeFailures", writeFailures());
        m.put("vnLookups", vnLookups());
        m.put("vnLookupsRefused", vnLookupsRefused());
        m.put("vnsCreated", vnsCreated());
        m.put("vnConflicts", vnConflicts());
        return m;
    }

    @Override
    public String toString() {
        return "EtcdNvaCounters" + asMap();
    }
}
