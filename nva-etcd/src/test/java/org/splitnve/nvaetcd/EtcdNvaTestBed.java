package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.testsupport.EtcdServer;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/** One real etcd on loopback and the etcd NVAs of a test, closed together. */
final class EtcdNvaTestBed implements AutoCloseable {

    /** etcd's shortest lease: a crashed nNVE's mappings go within about this plus a keep-alive period. */
    static final Duration TTL = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(20);

    final EtcdServer etcd;
    private final List<EtcdNva> nvas = new ArrayList<>();

    EtcdNvaTestBed() {
        Prerequisites.requireCommand("etcd");
        this.etcd = EtcdServer.onLoopback();
    }

    EtcdNvaConfig.Builder config(String nve) {
        return EtcdNvaConfig.fromUri("etcd://" + etcd.hostPorts()).nveName(nve).leaseTtl(TTL)
                .requestTimeout(Duration.ofSeconds(1)).retry(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    EtcdNva nva(String nve) {
        return nva(config(nve));
    }

    EtcdNva nva(EtcdNvaConfig.Builder config) {
        EtcdNva n = EtcdNva.start(config.build());
        nvas.add(n);
        try {
            assertThat(n.awaitUp(WAIT)).as("%s comes up", n).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return n;
    }

    static TsiMapping mapping(int vn, int mac, String nve) {
        return new TsiMapping(VnId.of(vn), MacAddress.valueOf(0x020000000000L + mac), null, nve);
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@link #WAIT}. */
    static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    @Override
    public void close() {
        for (EtcdNva n : nvas) {
            n.close();
        }
        etcd.close();
    }
}
