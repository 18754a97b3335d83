package org.splitnve.testsupport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs JVM code inside a network namespace that a test created, while the test itself stays in the machine's own
 * namespace.
 *
 * <p>Linux keeps the network namespace per thread, so {@link #call} starts a fresh thread, moves that one thread into
 * the namespace with {@code setns(2)} and runs the task there. Everything the task opens there stays in the
 * namespace for its whole life, whichever thread uses it later: sockets, packet capture handles, and so a
 * {@code PcapLink} opened on one of the namespace's interfaces. Threads the task starts inherit the namespace too
 * (a link's receive thread, for instance). The calling thread is never moved.
 *
 * <pre>{@code
 * PcapLink link = InNamespace.call(ns, () -> PcapLink.open("veth-a", 0x8940));
 * }</pre>
 *
 * <p>Needs CAP_SYS_ADMIN (root), like everything else on namespaces.
 */
public final class InNamespace {

    /** The flag of setns(2) that names a network namespace (linux/sched.h). */
    static final int CLONE_NEWNET = 0x40000000;

    private static final int O_RDONLY = 0;
    /** Same value on every Linux architecture the JDK runs on that uses the generic flags (x86, arm64, riscv). */
    private static final int O_CLOEXEC = 0x80000;

    /** Where iproute2 keeps the bind mounts that name network namespaces ({@code /var/run} links here). */
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private static final Pattern NS_LINK = Pattern.compile("net:\\[(\\d+)]");

    /** The three libc calls needed; errno becomes a {@link LastErrorException}. */
    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** Loaded on first use, so that merely referring to this class needs no native library. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private InNamespace() {
    }

    /**
     * Runs {@code task} on a new thread inside {@code namespace} and returns its result. Exceptions from the task are
     * rethrown as they are.
     *
     * @throws IllegalStateException if the thread cannot enter the namespace (it does not exist, or no privilege)
     */
    public static <T> T call(NetworkNamespace namespace, Callable<T> task) throws Exception {
        return call(namespace.name(), task);
    }

    /** Like {@link #call(NetworkNamespace, Callable)} for a namespace known only by its {@code ip netns} name. */
    public static <T> T call(String namespaceName, Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        Path handle = NETNS_DIR.resolve(checkName(namespaceName));
        FutureTask<T> future = new FutureTask<>(() -> {
            enter(handle);
            return task.call();
        });
        Thread thread = new Thread(future, "netns-" + namespaceName);
        thread.setDaemon(true);
        thread.start();
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Like {@link #call(NetworkNamespace, Callable)} for a task that returns nothing. */
    public static void run(NetworkNamespace namespace, ThrowingRunnable task) throws Exception {
        call(namespace, () -> {
            task.run();
            return null;
        });
    }

    /** A task for {@link #run} that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * The inode number that identifies the network namespace of the calling thread, as {@code /proc/thread-self/ns/net}
     * shows it ({@code net:[4026531840]}).
     */
    public static long currentNamespaceInode() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            Matcher m = NS_LINK.matcher(link);
            if (!m.matches()) {
                throw new IllegalStateException("unexpected namespace link " + link);
            }
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network namespace of this thread", e);
        }
    }

    /** The inode number of a named namespace, the same number {@link #currentNamespaceInode()} shows inside it. */
    public static long inodeOf(NetworkNamespace namespace) {
        try {
            return ((Number) Files.getAttribute(NETNS_DIR.resolve(namespace.name()), "unix:ino")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat network namespace " + namespace.name(), e);
        }
    }

    private static void enter(Path handle) {
        LibC libc = Holder.LIBC;
        int fd;
        try {
            fd = libc.open(handle.toString(), O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot open " + handle + " (errno " + e.getErrorCode()
                    + "): no such network namespace, or no permission", e);
        }
        try {
            libc.setns(fd, CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IllegalStateException("setns into " + handle + " failed (errno " + e.getErrorCode()
                    + "); entering a network namespace needs CAP_SYS_ADMIN", e);
        } finally {
            try {
                libc.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing useful to do: the descriptor is gone either way.
            }
        }
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a network namespace name: " + name);
        }
        return name;
    }
}
