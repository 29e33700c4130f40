package io.rapidfire.store.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.rapidfire.core.AppendResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Partitioner;
import io.rapidfire.core.Policy;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.store.redis.LuaScripts.Script;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Writes to a conversation's open batch: append (waited for or not), presence, flush and clear. */
final class OpenBatchWrites {
    private final StoreContext ctx;
    private final RedisKeys keys;
    private final ReplicatedWrites writes;
    private final AppendGroups groups;

    OpenBatchWrites(StoreContext ctx, ReplicatedWrites writes) {
        this.ctx = ctx;
        this.keys = ctx.keys();
        this.writes = writes;
        this.groups = new AppendGroups(ctx);
    }

    AppendResult append(Message message, Policy policy, ReleaseReason releaseNow) {
        AppendGroups.Call call = appendCall(message, policy, releaseNow);
        // Not acknowledged when too few replicas confirm: the caller answers 503 and the platform retries; the
        // retry is dropped as a duplicate (same message id) if this copy survives, and stored if it does not.
        List<Object> r = writes.write("append", call.conv(), Script.APPEND, call.keys(), call.args(), res -> true,
                res -> "stored message " + message.id() + " of " + call.conv() + " on its master",
                "not acknowledged");
        return appended(r);
    }

    /**
     * One script call on Lettuce's asynchronous API, shared with the appends to the same partition that arrive
     * while its previous call is out ({@link AppendGroups}): nothing waits while Redis answers, and the future
     * completes on Lettuce's event loop. With RAPIDFIRE_WAIT_REPLICAS the append and its WAIT run as {@link #append} does, on a
     * thread of their own, so the caller is never held either way.
     */
    CompletableFuture<AppendResult> appendAsync(Message message, Policy policy, ReleaseReason releaseNow) {
        if (writes.waits()) {
            return CompletableFuture.supplyAsync(() -> append(message, policy, releaseNow),
                    writes.waitingAppends(Partitioner.partitionOf(message.conversation(), ctx.partitions())));
        }
        AppendGroups.Call call;
        try {
            call = appendCall(message, policy, releaseNow);
        } catch (RuntimeException invalid) {
            return CompletableFuture.failedFuture(invalid);
        }
        return groups.append(call).handle((r, e) -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof RedisException re) {
                        throw ctx.calls().refused("append", call.conv(), re);
                    }
                    if (cause != null) {
                        throw new CompletionException(cause);
                    }
                    return appended(r);
                });
    }

    /** The append script's keys and arguments for one message (one place for the sync and async paths). */
    private AppendGroups.Call appendCall(Message message, Policy policy, ReleaseReason releaseNow) {
        int bytes = ReleaseRules.requireFits(message, policy);
        ConversationRef c = message.conversation();
        int p = Partitioner.partitionOf(c, ctx.partitions());
        String conv = c.key();
        String json = MessageCodec.encode(message);
        // The first-message rule needs the stored state: the script applies it (ruleAskedAtAppend).
        ReleaseReason asked = ReleaseRules.askedByMessage(releaseNow, message, policy);
        String[] k = {keys.conversation(p, conv), keys.open(p, conv), keys.seen(p, conv), keys.due(p),
                keys.flight(p, conv), keys.inflight(p)};
        String[] a = {conv, message.id() == null ? "" : message.id(), json, Integer.toString(bytes),
                Long.toString(policy.quietMs()), Long.toString(policy.maxWaitMs()),
                Integer.toString(policy.maxMessages()), Integer.toString(policy.maxBytes()),
                ctx.dedupWindow(), keys.wakeChannel(), Integer.toString(p),
                asked == null ? "" : asked.wire(), policy.joiner(), policy.paceSpec(),
                policy.firstMessageAtOnce() ? "1" : "0"};
        return new AppendGroups.Call(p, conv, k, a);
    }

    private static AppendResult appended(List<Object> r) {
        boolean duplicate = ScriptStatus.of((Long) r.get(0), "append") == ScriptStatus.DUPLICATE;
        return new AppendResult(duplicate, (Long) r.get(1), (Long) r.get(2));
    }

    PresenceOutcome presence(ConversationRef c, boolean typing, long newStateTtlMs) {
        int p = Partitioner.partitionOf(c, ctx.partitions());
        List<Object> r = ctx.calls().script("presence", c.key(), Script.PRESENCE, ScriptOutputType.MULTI,
                new String[]{keys.conversation(p, c.key()), keys.due(p)}, c.key(), typing ? "1" : "0",
                keys.wakeChannel(), Integer.toString(p), ctx.dedupWindow(), Long.toString(newStateTtlMs));
        return ScriptStatus.of((Long) r.get(0), "presence") == ScriptStatus.RESCHEDULED ? PresenceOutcome.RESCHEDULED
                : PresenceOutcome.RECORDED;
    }

    boolean flush(ConversationRef c) {
        int p = Partitioner.partitionOf(c, ctx.partitions());
        Long r = ctx.calls().script("flush", c.key(), Script.FLUSH, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, c.key()), keys.due(p)}, c.key(), keys.wakeChannel(),
                Integer.toString(p));
        return ScriptStatus.of(r, "flush") != ScriptStatus.NOTHING_OPEN;
    }

    long clear(ConversationRef c) {
        int p = Partitioner.partitionOf(c, ctx.partitions());
        String conv = c.key();
        Long dropped = ctx.calls().script("clear", conv, Script.CLEAR, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.open(p, conv), keys.flight(p, conv), keys.due(p),
                        keys.inflight(p), keys.batches(p)}, conv, ctx.dedupWindow());
        return dropped;
    }
}
