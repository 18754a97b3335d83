package org.splitnve.cli.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.NetworkNamespace;

/**
 * The bench's namespace pair, the only place bench traffic goes: a {@link NamespacePair} that
 * tells its {@link BenchLab} when it closes, so a Ctrl-C can wait for the removal, and that refuses
 * to start anything more once the lab has cancelled the run.
 */
public final class VethNamespaces implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VethNamespaces.class);

    private final NamespacePair pair;
    private final BenchLab lab;

    private VethNamespaces(NamespacePair pair, BenchLab lab) {
        this.pair = pair;
        this.lab = lab;
    }

    static VethNamespaces create(String nameA, String macA, String nameB, String macB, BenchLab lab) {
        NamespacePair pair = NamespacePair.create(nameA, macA, nameB, macB);
        LOG.debug("bench veth pair {}", pair);
        return new VethNamespaces(pair, lab);
    }

    public NetworkNamespace a() {
        return pair.a();
    }

    public NetworkNamespace b() {
        return pair.b();
    }

    public String ifA() {
        return pair.ifA();
    }

    public String ifB() {
        return pair.ifB();
    }

    /** Closes {@code c} before the namespaces go, in reverse order of tracking. */
    public synchronized <T extends AutoCloseable> T track(T c) {
        if (pair.isClosed()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c, e);
            }
            throw new BenchLab.CancelledException();
        }
        return pair.track(c);
    }

    @Override
    public synchronized void close() {
        if (pair.isClosed()) {
            return;
        }
        lab.closingStarted();
        try {
            pair.close();
        } finally {
            lab.closingEnded(this);
        }
    }

    @Override
    public String toString() {
        return pair.toString();
    }
}
