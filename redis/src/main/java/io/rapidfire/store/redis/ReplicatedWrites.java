package io.rapidfire.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.rapidfire.core.NotReplicatedException;
import io.rapidfire.store.redis.LuaScripts.Script;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The store's durability (RAPIDFIRE_WAIT_REPLICAS): a write script, then WAIT when it changed something, and a
 * failure when fewer replicas than asked confirmed it.
 */
final class ReplicatedWrites {
    private final StoreContext ctx;
    private final RedisBatchStore.Durability durability;
    /** One thread per lane; a partition always uses the same lane (see {@link #waitingAppends}). */
    private ExecutorService[] waitingAppends;
    private static final int LANES = 8;

    ReplicatedWrites(StoreContext ctx, RedisBatchStore.Durability durability) {
        this.ctx = ctx;
        this.durability = durability;
    }

    boolean waits() {
        return durability.waitReplicas() > 0;
    }

    /**
     * Runs a write script on the master of its keys' slot. With RAPIDFIRE_WAIT_REPLICAS = n > 0, then
     * {@code WAIT n} when {@code needsWait} says the result changed something, and fewer confirmations throw
     * {@link NotReplicatedException} ("&lt;what&gt;, but only r of n replicas confirmed it ...; &lt;consequence&gt;").
     */
    List<Object> write(String op, String subject, Script script, String[] k, String[] a,
                       Predicate<List<Object>> needsWait, Function<List<Object>, String> what, String consequence) {
        if (!waits()) {
            return ctx.calls().script(op, subject, script, ScriptOutputType.MULTI, k, a);
        }
        RedisLink.Replicated<List<Object>> w = ctx.calls().call(op, subject, () -> ctx.link().writeAndWait(k[0],
                durability.waitReplicas(), durability.waitTimeoutMs(),
                node -> ctx.scripts().<List<Object>>call(node, script, ScriptOutputType.MULTI, k, a), needsWait));
        if (w.replicas() < durability.waitReplicas()) {
            ctx.health().note(op + ": WAIT confirmed " + w.replicas() + " of " + durability.waitReplicas() + " replicas");
            throw new NotReplicatedException(ctx.description() + " " + what.apply(w.result()) + ", but only "
                    + w.replicas() + " of RAPIDFIRE_WAIT_REPLICAS=" + durability.waitReplicas() + " replicas confirmed "
                    + "it within RAPIDFIRE_WAIT_TIMEOUT_MS=" + durability.waitTimeoutMs() + "; " + consequence
                    + ". Check the replicas (INFO replication) or lower RAPIDFIRE_WAIT_REPLICAS.");
        }
        return w.result();
    }

    /**
     * The thread for a partition's appends that wait for replicas (appendAsync with RAPIDFIRE_WAIT_REPLICAS), made on
     * first use. One thread per lane and a partition always on the same lane, so two appends of one conversation asked
     * together are stored in the order asked (a pool of threads could swap them).
     */
    synchronized ExecutorService waitingAppends(int partition) {
        if (waitingAppends == null) {
            waitingAppends = new ExecutorService[LANES];
            for (int i = 0; i < LANES; i++) {
                waitingAppends[i] = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "rapidfire-append-wait");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        return waitingAppends[partition % LANES];
    }

    synchronized void close() {
        if (waitingAppends != null) {
            for (ExecutorService lane : waitingAppends) {
                lane.shutdown();
            }
        }
    }
}
