package org.splitnve.ecptransport.testing;

import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;

/**
 * A {@link NamespacePair} with pcap links opened on either end from inside its namespace. Closing
 * it closes the links first (their sockets would keep a deleted namespace alive), then deletes
 * both namespaces, which also stops whatever was started in them.
 */
public final class LiveVeth implements AutoCloseable {

    private final NamespacePair pair;
    private final MacAddress macA;
    private final MacAddress macB;

    private LiveVeth(NamespacePair pair, MacAddress macA, MacAddress macB) {
        this.pair = pair;
        this.macA = macA;
        this.macB = macB;
    }

    /** As {@link #create}, after checking what a live link test needs (root, ip, sysctl): skipped by hand, failed in CI. */
    public static LiveVeth forTest(String nameA, MacAddress macA, String nameB, MacAddress macB) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "sysctl");
        return create(nameA, macA, nameB, macB);
    }

    /** End A is {@code nameA} with {@code macA} in namespace A; end B likewise. */
    public static LiveVeth create(String nameA, MacAddress macA, String nameB, MacAddress macB) {
        return new LiveVeth(NamespacePair.create(nameA, macA.toString(), nameB, macB.toString()), macA, macB);
    }

    public NetworkNamespace nsA() {
        return pair.a();
    }

    public NetworkNamespace nsB() {
        return pair.b();
    }

    public String ifA() {
        return pair.ifA();
    }

    public String ifB() {
        return pair.ifB();
    }

    public MacAddress macA() {
        return macA;
    }

    public MacAddress macB() {
        return macB;
    }

    /** Opens end A from inside namespace A; closed with this object. */
    public PcapLink openA(int... etherTypes) throws Exception {
        return track(InNamespace.call(pair.a(), () -> PcapLink.open(ifA(), etherTypes)));
    }

    /** Opens end B from inside namespace B; closed with this object. */
    public PcapLink openB(int... etherTypes) throws Exception {
        return track(InNamespace.call(pair.b(), () -> PcapLink.open(ifB(), etherTypes)));
    }

    /** Closes {@code c} before the namespaces go, in reverse order of registration. */
    public <T extends AutoCloseable> T track(T c) {
        return pair.track(c);
    }

    @Override
    public void close() {
        pair.close();
    }
}
