package io.rapidfire.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Handover;
import io.rapidfire.core.HandoverBy;
import io.rapidfire.core.Handovers.HandoverChange;
import io.rapidfire.core.Partitioner;
import io.rapidfire.store.redis.LuaScripts.Script;

import java.util.ArrayList;
import java.util.List;

/**
 * Handovers on Redis: one hash per conversation ({@link RedisKeys#handover}) in its partition's slot, so that the
 * claim and commit scripts read it atomically with the batches, and one index per partition for listing them and
 * finding the expired ones. Every read goes through a script, so that "in force" is decided on the store's clock.
 */
final class HandoverWrites {
    private final StoreContext ctx;
    private final RedisKeys keys;

    HandoverWrites(StoreContext ctx) {
        this.ctx = ctx;
        this.keys = ctx.keys();
    }

    private int partition(ConversationRef ref) {
        return Partitioner.partitionOf(ref, ctx.partitions());
    }

    Handover get(ConversationRef ref) {
        int p = partition(ref);
        List<Object> r = ctx.calls().script("handover", ref.key(), Script.HANDOVER, ScriptOutputType.MULTI,
                new String[]{keys.handover(p, ref.key())});
        return r.isEmpty() ? null : handover(ref, r, 0);
    }

    HandoverChange start(ConversationRef ref, long forMs, HandoverBy by) {
        Handover.checkLength(forMs);
        int p = partition(ref);
        String conv = ref.key();
        List<Object> r = ctx.calls().script("handoverStart", conv, Script.HANDOVER_START, ScriptOutputType.MULTI,
                new String[]{keys.handover(p, conv), keys.handoverIndex(p)}, conv, Long.toString(forMs), by.wire());
        Handover expired = (Long) r.get(4) < 0 ? null : handover(ref, r, 4);
        return new HandoverChange(handover(ref, r, 1), (Long) r.get(0) == 1, expired);
    }

    Handover end(ConversationRef ref) {
        int p = partition(ref);
        String conv = ref.key();
        List<Object> r = ctx.calls().script("handoverEnd", conv, Script.HANDOVER_END, ScriptOutputType.MULTI,
                new String[]{keys.handover(p, conv), keys.handoverIndex(p)}, conv);
        return r.isEmpty() ? null : handover(ref, r, 0);
    }

    boolean forget(Handover h) {
        int p = partition(h.conversation());
        String conv = h.conversation().key();
        List<Object> r = ctx.calls().script("handoverForget", conv, Script.HANDOVER_FORGET, ScriptOutputType.MULTI,
                new String[]{keys.handover(p, conv), keys.handoverIndex(p)}, conv, Long.toString(h.sinceMs()),
                Long.toString(h.untilMs()));
        return (Long) r.get(0) == 1;
    }

    List<Handover> expired(int p, int max) {
        return list(p, max, "expired");
    }

    List<Handover> active(int limit) {
        List<Handover> out = new ArrayList<>();
        for (int p = 0; p < ctx.partitions() && out.size() < limit; p++) {
            out.addAll(list(p, limit - out.size(), "active"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Handover> list(int p, int max, String mode) {
        List<Object> r = ctx.calls().script("handovers", "partition " + p, Script.HANDOVERS, ScriptOutputType.MULTI,
                new String[]{keys.handoverIndex(p)}, keys.partitionPrefix(p), Integer.toString(max), mode);
        List<Handover> out = new ArrayList<>();
        for (Object o : r) {
            List<Object> e = (List<Object>) o;
            out.add(handover(ConversationRef.parseKey((String) e.get(0)), e, 1));
        }
        return out;
    }

    /** since, until, by at {@code at} in a script's answer (includes/handover.lua's order). */
    private static Handover handover(ConversationRef ref, List<Object> r, int at) {
        return new Handover(ref, (Long) r.get(at), (Long) r.get(at + 1), (String) r.get(at + 2));
    }

    void record(String line) {
        String key = keys.handoverChanges();
        ctx.calls().call("recordChange", key, () -> {
            ctx.redis().lpush(key, line);
            return ctx.redis().ltrim(key, 0, io.rapidfire.core.Handovers.RECENT_CHANGES - 1);
        });
    }

    List<String> recent(int limit) {
        String key = keys.handoverChanges();
        return ctx.calls().call("recentChanges", key, () -> ctx.redis().lrange(key, 0, Math.max(0, limit - 1)));
    }
}
