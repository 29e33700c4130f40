package io.rapidfire.store.redis;

import io.lettuce.core.ScoredValue;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.StoreCounts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Read-only inspection for operators: pending and in-flight batches, counts, dead letters. Reads the sorted-set
 * indexes of each partition; never scans the keyspace.
 */
final class Inspection {
    private final StoreContext ctx;
    private final RedisKeys keys;

    Inspection(StoreContext ctx) {
        this.ctx = ctx;
        this.keys = ctx.keys();
    }

    List<PendingBatch> pending(int limit) {
        List<PendingBatch> out = new ArrayList<>();
        for (int p = 0; p < ctx.partitions(); p++) {
            for (ScoredValue<String> d : firstOf("pending", keys.due(p), limit)) {
                out.add(conversation("pending", p, d.getValue())
                        .pending(ConversationRef.parseKey(d.getValue()), p, (long) d.getScore(), ctx.joiner()));
            }
        }
        return out;
    }

    List<InflightBatch> inflight(int limit) {
        List<InflightBatch> out = new ArrayList<>();
        for (int p = 0; p < ctx.partitions(); p++) {
            for (ScoredValue<String> f : firstOf("inflight", keys.inflight(p), limit)) {
                out.add(conversation("inflight", p, f.getValue())
                        .inflight(ConversationRef.parseKey(f.getValue()), p, (long) f.getScore()));
            }
        }
        return out;
    }

    StoreCounts counts() {
        long pending = 0;
        long inflight = 0;
        long dead = 0;
        for (int p = 0; p < ctx.partitions(); p++) {
            pending += size(keys.due(p));
            inflight += size(keys.inflight(p));
            dead += size(keys.deadLetterIndex(p));
        }
        return new StoreCounts(pending, inflight, dead);
    }

    List<DeadLetter> deadLetters(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (int p = 0; p < ctx.partitions(); p++) {
            int part = p;
            for (ScoredValue<String> id : firstOf("deadLetters", keys.deadLetterIndex(p), limit)) {
                String doc = ctx.calls().call("deadLetters", id.getValue(),
                        () -> ctx.redis().hget(keys.deadLetters(part), id.getValue()));
                if (doc != null) {
                    out.add(new DeadLetter(id.getValue(), p, (long) id.getScore(), doc));
                }
            }
        }
        out.sort(Comparator.comparingLong(DeadLetter::deadAtMs));
        return out;
    }

    DeadLetter deadLetter(String batchId) {
        for (int p = 0; p < ctx.partitions(); p++) {
            int part = p;
            String doc = ctx.calls().call("deadLetter", batchId, () -> ctx.redis().hget(keys.deadLetters(part), batchId));
            if (doc != null) {
                Double at = ctx.calls().call("deadLetter", batchId,
                        () -> ctx.redis().zscore(keys.deadLetterIndex(part), batchId));
                return new DeadLetter(batchId, p, at == null ? 0 : at.longValue(), doc);
            }
        }
        return null;
    }

    private List<ScoredValue<String>> firstOf(String op, String index, int limit) {
        return ctx.calls().call(op, index, () -> ctx.redis().zrangeWithScores(index, 0, limit - 1));
    }

    private ConversationHash conversation(String op, int p, String conv) {
        Map<String, String> h = ctx.calls().call(op, conv, () -> ctx.redis().hgetall(keys.conversation(p, conv)));
        return new ConversationHash(h);
    }

    private long size(String index) {
        return ctx.calls().call("counts", index, () -> ctx.redis().zcard(index));
    }
}
