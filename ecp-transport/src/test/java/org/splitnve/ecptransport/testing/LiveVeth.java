package org.splitnve.ecptransport.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.VethPair;
import org.splitnve.vdpcore.MacAddress;

/**
 * Two fresh network namespaces joined by a veth pair, with pcap links opened on either end from inside its
 * namespace. Closing it closes the links first (their sockets would keep a deleted namespace alive), then deletes
 * both namespaces, which also stops whatever was started in them.
 */
public final class LiveVeth implements AutoCloseable {

    private final NetworkNamespace nsA;
    private final NetworkNamespace nsB;
    private final VethPair pair;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    private LiveVeth(NetworkNamespace nsA, NetworkNamespace nsB, VethPair pair) {
        this.nsA = nsA;
        this.nsB = nsB;
        this.pair = pair;
    }

    /** End A is {@code nameA} with {@code macA} in namespace A; end B likewise. */
    public static LiveVeth create(String nameA, MacAddress macA, String nameB, MacAddress macB) {
        NetworkNamespace a = NetworkNamespace.create();
        NetworkNamespace b = null;
        try {
            b = NetworkNamespace.create();
            VethPair pair = VethPair.between(a, b).names(nameA, nameB).macs(macA.toString(), macB.toString()).create();
            return new LiveVeth(a, b, pair);
        } catch (RuntimeException e) {
            if (b != null) {
                b.close();
            }
            a.close();
            throw e;
        }
    }

    public NetworkNamespace nsA() {
        return nsA;
    }

    public NetworkNamespace nsB() {
        return nsB;
    }

    public String ifA() {
        return pair.a().interfaceName();
    }

    public String ifB() {
        return pair.b().interfaceName();
    }

    public MacAddress macA() {
        return MacAddress.valueOf(pair.a().mac());
    }

    public MacAddress macB() {
        return MacAddress.valueOf(pair.b().mac());
    }

    /** Opens end A from inside namespace A; closed with this object. */
    public PcapLink openA(int... etherTypes) throws Exception {
        return track(InNamespace.call(nsA, () -> PcapLink.open(ifA(), etherTypes)));
    }

    /** Opens end B from inside namespace B; closed with this object. */
    public PcapLink openB(int... etherTypes) throws Exception {
        return track(InNamespace.call(nsB, () -> PcapLink.open(ifB(), etherTypes)));
    }

    /** Closes {@code c} before the namespaces go, in reverse order of registration. */
    public synchronized <T extends AutoCloseable> T track(T c) {
        toClose.push(c);
        return c;
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing a link of the veth pair failed", e);
                }
            }
        }
        try {
            nsB.close();
        } finally {
            nsA.close();
        }
        if (first != null) {
            throw first;
        }
    }
}
