package org.splitnve.nvaetcd;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * How an {@link EtcdNva} reaches etcd and behaves there; immutable, built by {@link #builder} or {@link #fromUri},
 * which check every value. The lease TTL bounds how long a crashed nNVE's mappings outlive it.
 */
public final class EtcdNvaConfig {

    /** A crashed nNVE's mappings are gone at most this long after its last keep-alive (the issue asks for at most 15 s). */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
    /** etcd itself raises shorter TTLs to about 1.5 of its election timeout (2 s with its defaults). */
    public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(2);
    public static final Duration MAX_LEASE_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Watch events received and not yet applied, beyond which the NVA drops them and lists everything anew. */
    public static final int DEFAULT_MAX_WATCH_BACKLOG = 100_000;

    private final List<URI> endpoints;
    private final String prefix;
    private final String nveName;
    private final Duration leaseTtl;
    private final Duration requestTimeout;
    private final Duration retryFirst;
    private final Duration retryMax;
    private final boolean openVns;
    private final int firstAllocatedVni;
    private final int lastAllocatedVni;
    private final int maxWatchBacklog;

    private EtcdNvaConfig(Builder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.prefix = b.prefix;
        this.nveName = b.nveName;
        this.leaseTtl = b.leaseTtl;
        this.requestTimeout = b.requestTimeout;
        this.retryFirst = b.retryFirst;
        this.retryMax = b.retryMax;
        this.openVns = b.openVns;
        this.firstAllocatedVni = b.firstAllocatedVni;
        this.lastAllocatedVni = b.lastAllocatedVni;
        this.maxWatchBacklog = b.maxWatchBacklog;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the endpoints and key prefix of {@code etcd://HOST:PORT[,HOST:PORT...][/PREFIX]} (an IPv6 host
     * in brackets); the prefix defaults to {@value KeyLayout#DEFAULT_PREFIX}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static Builder fromUri(String text) {
        String scheme = "etcd://";
        if (!text.startsWith(scheme)) {
            throw new IllegalArgumentException("an etcd NVA is etcd://HOST:PORT[,HOST:PORT...][/PREFIX], not '" + text + "'");
        }
        String rest = text.substring(scheme.length());
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        Builder b = builder();
        if (slash >= 0) {
            b.prefix(rest.substring(slash));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no HOST:PORT in '" + text + "'");
        }
        List<URI> eps = new ArrayList<>();
        for (String hp : hosts.split(",", -1)) {
            eps.add(endpoint(hp, text));
        }
        return b.endpoints(eps);
    }

    private static URI endpoint(String hp, String whole) {
        int colon = hp.lastIndexOf(':');
        String why = "'" + hp + "' in '" + whole + "' is not HOST:PORT";
        if (colon <= 0 || colon == hp.length() - 1) {
            throw new IllegalArgumentException(why);
        }
        String host = hp.substring(0, colon);
        String port = hp.substring(colon + 1);
        boolean v6 = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        boolean ok = v6 ? host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+") : host.matches("[A-Za-z0-9.-]+");
        if (!ok || !port.matches("[1-9][0-9]{0,4}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(why);
        }
        return URI.create("http://" + host + ":" + port);
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    public String prefix() {
        return prefix;
    }

    /** The NVE this NVA publishes for, also the name of its liveness key. */
    public String nveName() {
        return nveName;
    }

    public Duration leaseTtl() {
        return leaseTtl;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration retryFirst() {
        return retryFirst;
    }

    public Duration retryMax() {
        return retryMax;
    }

    /** True: a VN that etcd does not know is created, named {@code vn-ID}, when a station asks for it. */
    public boolean openVns() {
        return openVns;
    }

    public int firstAllocatedVni() {
        return firstAllocatedVni;
    }

    public int lastAllocatedVni() {
        return lastAllocatedVni;
    }

    public int maxWatchBacklog() {
        return maxWatchBacklog;
    }

    /** The endpoints as {@code etcd://...} text, for logs and events. */
    public String uri() {
        StringBuilder sb = new StringBuilder("etcd://");
        for (int i = 0; i < endpoints.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(endpoints.get(i).getHost()).append(':').append(endpoints.get(i).getPort());
        }
        return sb.append(prefix.equals(KeyLayout.DEFAULT_PREFIX) ? "" : prefix).toString();
    }

    @Override
    public String toString() {
        return "EtcdNvaConfig[" + uri() + ", nve " + nveName + ", lease TTL " + leaseTtl.toSeconds() + " s, prefix " + prefix
                + (openVns ? ", open VNs" : "") + "]";
    }

    /** Checks each value as it is set; {@link #build} checks that endpoints and the NVE name are there. */
    public static final class Builder {
        private List<URI> endpoints = List.of();
        private String prefix = KeyLayout.DEFAULT_PREFIX;
        private String nveName;
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration retryFirst = Duration.ofMillis(100);
        private Duration retryMax = Duration.ofSeconds(2);
        private boolean openVns;
        private int firstAllocatedVni = 1;
        private int lastAllocatedVni = VnId.MAX;
        private int maxWatchBacklog = DEFAULT_MAX_WATCH_BACKLOG;

        private Builder() {
        }

        /** {@code http://HOST:PORT} URIs of etcd's client endpoints. */
        public Builder endpoints(List<URI> endpoints) {
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("at least one etcd endpoint");
            }
            this.endpoints = List.copyOf(endpoints);
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = new KeyLayout(prefix).prefix();
            return this;
        }

        public Builder nveName(String nveName) {
            if (nveName == null || nveName.isBlank()) {
                throw new IllegalArgumentException("the NVE name is not blank");
            }
            this.nveName = nveName;
            return this;
        }

        public Builder leaseTtl(Duration ttl) {
            if (ttl.compareTo(MIN_LEASE_TTL) < 0 || ttl.compareTo(MAX_LEASE_TTL) > 0 || ttl.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("the lease TTL is whole seconds from " + MIN_LEASE_TTL.toSeconds() + " to "
                        + MAX_LEASE_TTL.toSeconds() + ", not " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        /** Waits between attempts after a failure: {@code first}, doubling up to {@code max}. */
        public Builder retry(Duration first, Duration max) {
            positive(first, "first retry delay");
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("the longest retry delay " + max + " is shorter than the first " + first);
            }
            this.retryFirst = first;
            this.retryMax = max;
            return this;
        }

        public Builder openVns(boolean open) {
            this.openVns = open;
            return this;
        }

        /** The VNIs that {@link EtcdNva#createVn} hands out. */
        public Builder allocatedVnis(int first, int last) {
            if (first < 1 || first > last || last > VnId.MAX) {
                throw new IllegalArgumentException("allocated VNIs are FIRST..LAST within 1.." + VnId.MAX + ", not " + first + ".." + last);
            }
            this.firstAllocatedVni = first;
            this.lastAllocatedVni = last;
            return this;
        }

        public Builder maxWatchBacklog(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("the watch backlog bound is positive, not " + events);
            }
            this.maxWatchBacklog = events;
            return this;
        }

        public EtcdNvaConfig build() {
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("no etcd endpoint given");
            }
            Objects.requireNonNull(nveName, "the NVE name is required");
            return new EtcdNvaConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("the " + what + " is positive, not " + d);
            }
            return d;
        }
    }
}
