package org.splitnve.nvaetcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Where the NVA meets jetcd's types: keys and values as UTF-8 text, the one key of a get, and how a failed call is
 * read (a lease etcd no longer knows, no answer in time). One place, so that the session, the watch, the writer and
 * the VN contexts read etcd's answers and errors the same way.
 */
final class Jetcd {

    private Jetcd() {
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The first key of a get, or null when there is none. */
    static KeyValue first(GetResponse r) {
        return r == null || r.getKvs().isEmpty() ? null : r.getKvs().get(0);
    }

    /** The failure itself, without the wrappers that futures put around it. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether etcd refused a call because it does not know the lease (it ran out or was revoked). */
    static boolean leaseNotFound(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof EtcdException ee && ee.getErrorCode() == ErrorCode.NOT_FOUND
                || (t != null && String.valueOf(t.getMessage()).contains("lease not found"));
    }

    /** A failure in a few words for the log. */
    static String describe(Throwable e) {
        Throwable t = unwrap(e);
        return t == null ? "?" : t instanceof TimeoutException ? "no answer in time" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** A lease ID as etcdctl prints it. */
    static String hex(long lease) {
        return Long.toHexString(lease);
    }
}
