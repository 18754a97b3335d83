package org.splitnve.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvaetcd.EtcdNva;
import org.splitnve.nvaetcd.EtcdNvaConfig;
import org.splitnve.nvaetcd.VnConflictException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Which NVA {@code splitnve bridge} uses: the in-memory one of this process ({@link CommandLineNva}, the default), or
 * the NVA on etcd that many bridges share ({@code --nva etcd://...}), from which the data plane then learns remote
 * NVEs and flood lists without {@code --remote}.
 */
final class NvaOptions {

    /** How long the bridge waits for etcd at start before it gives up with a usage error. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(10);

    @Option(names = "--nva", paramLabel = "etcd://HOST:PORT[,HOST:PORT...]",
            description = {"share VN contexts and TSI mappings with other nNVEs through etcd (default: an NVA in this process);",
                "--vn VNs are defined there, without --vn every VN a station asks for is created; needs --underlay"})
    String nva;

    @Option(names = "--nva-lease-ttl", paramLabel = "SECONDS",
            description = "with --nva: how long this bridge's TSI mappings outlive it if it dies without goodbye (default 10)")
    Integer leaseTtl;

    /** The NVA the bridge runs with, and how to close it. */
    record Chosen(ObservableNva nva, AutoCloseable closer, String description) {
    }

    /**
     * Checks the options before anything is opened: the etcd configuration, or null for the in-memory NVA.
     *
     * @param nveName the name this bridge publishes under (its underlay address), null without a data plane
     */
    EtcdNvaConfig check(CommandSpec spec, String nveName, boolean openVns) {
        if (nva == null) {
            if (leaseTtl != null) {
                throw Usage.error(spec, "--nva-lease-ttl needs --nva");
            }
            return null;
        }
        if (nveName == null) {
            throw Usage.error(spec, "--nva needs --underlay and --local-ip: other NVEs find this one's TSIs under its underlay address");
        }
        try {
            EtcdNvaConfig.Builder b = EtcdNvaConfig.fromUri(nva).nveName(nveName).openVns(openVns);
            if (leaseTtl != null) {
                b.leaseTtl(Duration.ofSeconds(leaseTtl));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--nva" + (leaseTtl == null ? "" : "/--nva-lease-ttl") + ": " + e.getMessage());
        }
    }

    /**
     * Opens the NVA: the in-memory one knowing {@code vns}, or the etcd one once it reached etcd and defined {@code vns}
     * there. A usage error if etcd cannot be reached within {@link #CONNECT_WAIT} or refuses a definition.
     */
    static Chosen open(CommandSpec spec, EtcdNvaConfig etcd, List<VnContext> vns) throws InterruptedException {
        if (etcd == null) {
            CommandLineNva memory = new CommandLineNva(vns);
            return new Chosen(memory, () -> { }, "memory");
        }
        EtcdNva shared = EtcdNva.start(etcd);
        try {
            if (!shared.awaitUp(CONNECT_WAIT)) {
                throw Usage.error(spec, "--nva: cannot reach etcd at " + etcd.uri() + " within " + CONNECT_WAIT.toSeconds() + " s");
            }
            for (VnContext vn : vns) {
                shared.define(vn).get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            shared.close();
            Throwable cause = e.getCause();
            throw Usage.error(spec, "--vn: " + (cause instanceof VnConflictException ? cause.getMessage() : "etcd: " + cause));
        } catch (TimeoutException e) {
            shared.close();
            throw Usage.error(spec, "--vn: etcd at " + etcd.uri() + " did not answer");
        } catch (RuntimeException | InterruptedException e) {
            shared.close();
            throw e;
        }
        return new Chosen(shared, shared, etcd.uri());
    }
}
