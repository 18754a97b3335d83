package org.splitnve.testsupport;

/**
 * Two fresh network namespaces joined by a veth pair, and what runs in them. Closing stops the
 * tracked things first, last started first, then deletes both namespaces, which ends anything
 * still in them. An interrupt (a signal, a test timeout) cuts neither the set-up's undo nor the
 * close short: the namespaces must go.
 */
public final class NamespacePair implements AutoCloseable {

    private final NetworkNamespace a;
    private final NetworkNamespace b;
    private final VethPair pair;
    private final Closer closer = new Closer();
    private boolean closed;

    private NamespacePair(NetworkNamespace a, NetworkNamespace b, VethPair pair) {
        this.a = a;
        this.b = b;
        this.pair = pair;
    }

    /** Creates both namespaces and the pair: interface {@code nameA} with {@code macA} in the first, and so on. */
    public static NamespacePair create(String nameA, String macA, String nameB, String macB) {
        NetworkNamespace a = NetworkNamespace.create();
        NetworkNamespace b = null;
        try {
            b = NetworkNamespace.create();
            return new NamespacePair(a, b, VethPair.between(a, b).names(nameA, nameB).macs(macA, macB).create());
        } catch (RuntimeException e) {
            boolean interrupted = Thread.interrupted();
            try {
                if (b != null) {
                    b.close();
                }
                a.close();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    public NetworkNamespace a() {
        return a;
    }

    public NetworkNamespace b() {
        return b;
    }

    public String ifA() {
        return pair.a().interfaceName();
    }

    public String ifB() {
        return pair.b().interfaceName();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes {@code c} before the namespaces go. Once the pair is closed, {@code c} is closed at once
     * and refused: whatever it holds could otherwise outlive the namespaces it belongs to.
     */
    public synchronized <T extends AutoCloseable> T track(T c) {
        if (closed) {
            IllegalStateException refused = new IllegalStateException("namespace pair " + pair + " is closed");
            try {
                c.close();
            } catch (Exception e) {
                refused.addSuppressed(e);
            }
            throw refused;
        }
        return closer.track(c);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = Thread.interrupted();
        try {
            closer.close();
            try {
                b.close();
            } finally {
                a.close();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return pair.toString();
    }
}
