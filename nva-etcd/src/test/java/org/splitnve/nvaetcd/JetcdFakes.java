package org.splitnve.nvaetcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * jetcd's client as a test scripts it, through dynamic proxies of its interfaces: the futures the NVA's calls get are
 * the test's to complete, and each call is recorded. A call the test did not script fails the test.
 */
final class JetcdFakes {

    /** What the lease client was asked, and the futures it answered with. */
    final List<CompletableFuture<LeaseGrantResponse>> grants = new CopyOnWriteArrayList<>();
    final List<Long> revoked = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<LeaseRevokeResponse>> revokes = new CopyOnWriteArrayList<>();
    /** How the KV client's gets and transactions end. */
    volatile CompletableFuture<GetResponse> getAnswer = CompletableFuture.completedFuture(
            new GetResponse(RangeResponse.getDefaultInstance(), ByteSequence.EMPTY));
    volatile CompletableFuture<TxnResponse> txnAnswer = new CompletableFuture<>();

    final Client client = proxy(Client.class, (method, args) -> switch (method) {
        case "getKVClient" -> kv();
        case "getLeaseClient" -> lease();
        case "getWatchClient" -> proxy(Watch.class, (m, a) -> null);
        case "close" -> null;
        default -> throw new AssertionError("Client." + method + " not scripted");
    });

    private KV kv() {
        return proxy(KV.class, (method, args) -> switch (method) {
            case "get" -> getAnswer;
            case "txn" -> txn();
            default -> throw new AssertionError("KV." + method + " not scripted");
        });
    }

    private Txn txn() {
        Txn[] self = new Txn[1];
        self[0] = proxy(Txn.class, (method, args) -> switch (method) {
            case "If", "Then", "Else" -> self[0];
            case "commit" -> txnAnswer;
            default -> throw new AssertionError("Txn." + method + " not scripted");
        });
        return self[0];
    }

    private Lease lease() {
        return proxy(Lease.class, (method, args) -> switch (method) {
            case "grant" -> {
                CompletableFuture<LeaseGrantResponse> f = new CompletableFuture<>();
                grants.add(f);
                yield f;
            }
            case "revoke" -> {
                revoked.add((Long) args[0]);
                CompletableFuture<LeaseRevokeResponse> f = new CompletableFuture<>();
                revokes.add(f);
                yield f;
            }
            default -> throw new AssertionError("Lease." + method + " not scripted");
        });
    }

    static LeaseGrantResponse granted(long id, long ttl) {
        return new LeaseGrantResponse(io.etcd.jetcd.api.LeaseGrantResponse.newBuilder().setID(id).setTTL(ttl).build());
    }

    /** A call of a proxied interface: method name and arguments to a result. */
    @FunctionalInterface
    private interface Answer {
        Object call(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(JetcdFakes.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> p == args[0];
                    case "hashCode" -> System.identityHashCode(p);
                    default -> type.getSimpleName() + " fake";
                };
            }
            return answer.call(m.getName(), args);
        }));
    }
}
