package org.splitnve.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import picocli.CommandLine;

/**
 * A {@code splitnve} subcommand running in-process inside a namespace (its pcap handles are
 * opened there), with its events collected and a latch in place of SIGTERM.
 */
final class RunningCommand implements AutoCloseable {

    final EventCollector events = new EventCollector();
    final StringWriter err = new StringWriter();
    private final CountDownLatch stop;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "cli-under-test"));
    private final Future<Integer> exit;

    private RunningCommand(NetworkNamespace ns, Object command, CountDownLatch stop, String... args) {
        this.stop = stop;
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(events, true));
        cl.setErr(new PrintWriter(err, true));
        this.exit = thread.submit(() -> InNamespace.call(ns, () -> cl.execute(args)));
    }

    static RunningCommand start(NetworkNamespace ns, java.util.function.Function<CountDownLatch, Object> command, String... args) {
        CountDownLatch stop = new CountDownLatch(1);
        return new RunningCommand(ns, command.apply(stop), stop, args);
    }

    /** Stops it as SIGTERM would and returns its exit code. */
    int stop(Duration timeout) throws Exception {
        stop.countDown();
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean finished() {
        return exit.isDone();
    }

    int exitCode(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String stderr() {
        return err.toString();
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        stop.countDown();
        try {
            exit.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // A close that is interrupted leaves the interrupt for the caller rather than hiding it in try-with-resources.
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
        }
    }
}
