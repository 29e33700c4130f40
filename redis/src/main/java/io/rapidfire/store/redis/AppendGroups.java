package io.rapidfire.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.rapidfire.store.redis.LuaScripts.Script;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of asynchronous appends, per partition: while a partition's append call is out, the appends that
 * arrive for it wait, and go together in the next call (appendGroup-n.lua), each answered with its own result.
 * An append that finds its partition idle goes at once, alone (append-6.lua): no append waits for a timer, only
 * for the call before it, so a quiet process adds no delay and a busy one pays Redis's fixed cost of a call
 * (the call, its TIME, its reply) once per group instead of once per message.
 *
 * <p>Order: a partition has one call out at a time and a group keeps arrival order, so two appends of one
 * conversation are stored in the order they were asked. A failed call fails every append of its group (the caller
 * answers 503; a retry is recognised by its message id).
 */
final class AppendGroups {
    /** At most this many messages in one call (its keys and arguments grow with it; Redis is blocked while it runs). */
    static final int MAX_GROUP = 32;

    /** One append: its partition, conversation, and the keys and arguments append-6.lua takes. */
    record Call(int partition, String conv, String[] keys, String[] args) {
    }

    private record Waiting(Call call, CompletableFuture<List<Object>> answer) {
    }

    private static final class Partition {
        boolean busy;
        final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    }

    private final StoreContext ctx;
    private final Partition[] partitions;

    AppendGroups(StoreContext ctx) {
        this.ctx = ctx;
        this.partitions = new Partition[ctx.partitions()];
        Arrays.setAll(partitions, i -> new Partition());
    }

    /** The script's answer for this append ({ code, dueAtMs, openMessages }), alone or within a group. */
    CompletableFuture<List<Object>> append(Call call) {
        int partition = call.partition;
        Waiting me = new Waiting(call, new CompletableFuture<>());
        Partition p = partitions[partition];
        synchronized (p) {
            if (p.busy) {
                p.queue.add(me);
                return me.answer;
            }
            p.busy = true;
        }
        send(partition, List.of(me));
        return me.answer;
    }

    private void send(int partition, List<Waiting> group) {
        CompletableFuture<List<Object>> call;
        try {
            call = group.size() == 1 ? one(group.get(0).call) : many(group);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, e) -> {
            // The answers first: an append made from one of them (the next message of a request) joins the queue
            // and goes with the next group.
            for (int i = 0; i < group.size(); i++) {
                if (e != null) {
                    group.get(i).answer.completeExceptionally(e);
                } else {
                    group.get(i).answer.complete(group.size() == 1 ? r : r.subList(3 * i, 3 * i + 3));
                }
            }
            next(partition);
        });
    }

    private void next(int partition) {
        Partition p = partitions[partition];
        List<Waiting> group = new ArrayList<>();
        synchronized (p) {
            while (!p.queue.isEmpty() && group.size() < MAX_GROUP) {
                group.add(p.queue.poll());
            }
            if (group.isEmpty()) {
                p.busy = false;
                return;
            }
        }
        send(partition, group);
    }

    private CompletableFuture<List<Object>> one(Call c) {
        return ctx.scripts().runAsync(ctx.async(), Script.APPEND, ScriptOutputType.MULTI, c.keys, c.args);
    }

    /** append-6.lua's keys are (c, open, seen, due, flight, inflight); the group's are due, inflight, then four each. */
    private CompletableFuture<List<Object>> many(List<Waiting> group) {
        String[] keys = new String[2 + 4 * group.size()];
        String[] args = new String[15 * group.size()];
        String[] first = group.get(0).call.keys;
        keys[0] = first[3];
        keys[1] = first[5];
        for (int i = 0; i < group.size(); i++) {
            Call c = group.get(i).call;
            keys[2 + 4 * i] = c.keys[0];
            keys[3 + 4 * i] = c.keys[1];
            keys[4 + 4 * i] = c.keys[2];
            keys[5 + 4 * i] = c.keys[4];
            System.arraycopy(c.args, 0, args, 15 * i, 15);
        }
        return ctx.scripts().runAsync(ctx.async(), Script.APPEND_GROUP, ScriptOutputType.MULTI, keys, args);
    }
}
