package org.splitnve.vdpcore.vdp;

import java.util.List;
import java.util.Objects;

/** The filter info of a VSI association TLV: a format and its entries, in wire order. */
public final class FilterInfo {

    private final FilterFormat format;
    private final List<FilterEntry> entries;

    private FilterInfo(FilterFormat format, List<FilterEntry> entries) {
        this.format = format;
        this.entries = entries;
    }

    /** Entries must all carry exactly the fields the format has; there must be at least one. */
    public static FilterInfo of(FilterFormat format, List<FilterEntry> entries) {
        Objects.requireNonNull(format, "format");
        List<FilterEntry> copy = List.copyOf(entries);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a filter has at least one entry");
        }
        if (copy.size() > 0xFFFF) {
            throw new IllegalArgumentException("the entry count is 16 bits: " + copy.size());
        }
        for (FilterEntry e : copy) {
            if (!e.matches(format)) {
                throw new IllegalArgumentException("entry " + e + " does not fit filter format " + format);
            }
        }
        return new FilterInfo(format, copy);
    }

    public static FilterInfo of(FilterFormat format, FilterEntry... entries) {
        return of(format, List.of(entries));
    }

    public FilterFormat format() {
        return format;
    }

    public List<FilterEntry> entries() {
        return entries;
    }

    /** Octets of the format code, the count and the entries. */
    public int encodedLength() {
        int n = 3;
        for (FilterEntry e : entries) {
            n += e.encodedLength();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilterInfo f && f.format == format && f.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return format.hashCode() * 31 + entries.hashCode();
    }

    @Override
    public String toString() {
        return format + entries.toString();
    }
}
