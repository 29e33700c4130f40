package io.rapidfire.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.rapidfire.core.Batch;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.store.redis.LuaScripts.Script;

import java.util.List;

/** What happens to a claimed batch: renew, ack, retry, dead-letter, await its commit, commit, settle. */
final class LeaseWrites {
    private final StoreContext ctx;
    private final RedisKeys keys;

    LeaseWrites(StoreContext ctx) {
        this.ctx = ctx;
        this.keys = ctx.keys();
    }

    LeaseOutcome renew(Lease l, long leaseMs) {
        int p = l.partition();
        String conv = l.conversationKey();
        return lease("renew", conv, Script.RENEW, new String[]{keys.conversation(p, conv), keys.inflight(p)},
                conv, l.batchId(), l.token(), Long.toString(leaseMs));
    }

    LeaseOutcome ack(Lease l) {
        int p = l.partition();
        String conv = l.conversationKey();
        return lease("ack", conv, Script.ACK, new String[]{keys.conversation(p, conv), keys.flight(p, conv),
                        keys.due(p), keys.inflight(p), keys.batches(p)},
                conv, l.batchId(), l.token(), ctx.dedupWindow(), keys.wakeChannel(), Integer.toString(p));
    }

    LeaseOutcome awaitCommit(Lease l, long timeoutMs, boolean withdrawable) {
        int p = l.partition();
        String conv = l.conversationKey();
        return lease("awaitCommit", conv, Script.AWAIT_COMMIT, new String[]{keys.conversation(p, conv),
                keys.inflight(p)}, conv, l.batchId(), l.token(), Long.toString(timeoutMs), keys.wakeChannel(),
                Integer.toString(p), withdrawable ? "1" : "0");
    }

    LeaseOutcome retry(Lease l, long delayMs, String error) {
        int p = l.partition();
        String conv = l.conversationKey();
        return lease("retry", conv, Script.RETRY, new String[]{keys.conversation(p, conv), keys.inflight(p)},
                conv, l.batchId(), l.token(), Long.toString(Math.max(0, delayMs)), error == null ? "" : error,
                keys.wakeChannel(), Integer.toString(p));
    }

    LeaseOutcome deadLetter(Lease l, Batch batch, String reason) {
        int p = l.partition();
        String conv = l.conversationKey();
        String payload = DeadLetter.document(batch, reason);
        return lease("deadLetter", conv, Script.DEAD_LETTER, new String[]{keys.conversation(p, conv),
                        keys.flight(p, conv), keys.due(p), keys.inflight(p), keys.deadLetters(p),
                        keys.deadLetterIndex(p), keys.deadLetterMessages(p, l.batchId()), keys.batches(p)},
                conv, l.batchId(), l.token(), payload, ctx.dedupWindow(), keys.wakeChannel(), Integer.toString(p));
    }

    LeaseOutcome settle(int p, String batchId, boolean withdrawn) {
        if (p < 0 || p >= ctx.partitions()) {
            return LeaseOutcome.GONE;
        }
        String conv = ctx.calls().call("settle", batchId, () -> ctx.redis().hget(keys.batches(p), batchId));
        if (conv == null) {
            return LeaseOutcome.GONE;
        }
        return lease("settle", conv, Script.SETTLE, new String[]{keys.conversation(p, conv), keys.open(p, conv),
                        keys.flight(p, conv), keys.due(p), keys.inflight(p), keys.batches(p)},
                conv, batchId, withdrawn ? "1" : "0", ctx.dedupWindow(), keys.wakeChannel(), Integer.toString(p));
    }

    CommitResult commit(int p, String batchId) {
        if (p < 0 || p >= ctx.partitions()) {
            return CommitResult.unknown();
        }
        String conv = ctx.calls().call("commit", batchId, () -> ctx.redis().hget(keys.batches(p), batchId));
        if (conv == null) {
            String done = ctx.calls().call("commit", batchId, () -> ctx.redis().get(keys.tombstone(p, batchId)));
            if (done == null) {
                return CommitResult.unknown();
            }
            return CommitResult.ofTombstone(done);
        }
        List<Object> r = ctx.calls().script("commit", conv, Script.COMMIT, ScriptOutputType.MULTI,
                new String[]{keys.conversation(p, conv), keys.flight(p, conv), keys.due(p), keys.inflight(p),
                        keys.batches(p), keys.handover(p, conv)}, conv, batchId, ctx.dedupWindow(), keys.wakeChannel(), Integer.toString(p));
        String by = (String) r.get(1);
        return switch (ScriptStatus.of((Long) r.get(0), Script.COMMIT.file)) {
            case COMMITTED -> CommitResult.committed();
            case COMMIT_SUPERSEDED -> CommitResult.superseded(by.isEmpty() ? null : by);
            case COMMIT_NOT_YET -> CommitResult.notYet((Long) r.get(2));
            case COMMIT_HANDED_OVER -> CommitResult.handedOver();
            default -> CommitResult.unknown();
        };
    }

    private LeaseOutcome lease(String op, String conv, Script script, String[] k, String... a) {
        Object r = ctx.calls().script(op, conv, script, ScriptOutputType.INTEGER, k, a);
        return ScriptStatus.lease(r, op);
    }
}
