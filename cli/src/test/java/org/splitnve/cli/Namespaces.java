package org.splitnve.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.VethPair;

/**
 * Two fresh namespaces joined by a veth pair. Closing stops what was registered (commands, lldpad)
 * first, in reverse order, then deletes both namespaces, which ends anything still in them.
 */
final class Namespaces implements AutoCloseable {

    final NetworkNamespace a;
    final NetworkNamespace b;
    final VethPair pair;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    private Namespaces(NetworkNamespace a, NetworkNamespace b, VethPair pair) {
        this.a = a;
        this.b = b;
        this.pair = pair;
    }

    static Namespaces create(String nameA, String macA, String nameB, String macB) {
        NetworkNamespace a = NetworkNamespace.create();
        NetworkNamespace b = null;
        try {
            b = NetworkNamespace.create();
            return new Namespaces(a, b, VethPair.between(a, b).names(nameA, nameB).macs(macA, macB).create());
        } catch (RuntimeException e) {
            if (b != null) {
                b.close();
            }
            a.close();
            throw e;
        }
    }

    String ifA() {
        return pair.a().interfaceName();
    }

    String ifB() {
        return pair.b().interfaceName();
    }

    synchronized <T extends AutoCloseable> T track(T c) {
        toClose.push(c);
        return c;
    }

    @Override
    public synchronized void close() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                // go on: the namespaces must go whatever failed
            }
        }
        b.close();
        a.close();
    }
}
