package io.rapidfire.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.store.redis.LuaScripts.Script;

/** An operator's answer to a dead letter: replay its messages, or purge it. */
final class DeadLetterWrites {
    private final StoreContext ctx;
    private final RedisKeys keys;
    private final Inspection inspection;

    DeadLetterWrites(StoreContext ctx, Inspection inspection) {
        this.ctx = ctx;
        this.keys = ctx.keys();
        this.inspection = inspection;
    }

    int replay(String batchId) {
        DeadLetter d = inspection.deadLetter(batchId);
        if (d == null) {
            return -1;
        }
        int p = d.partition();
        String conv = d.conversation().key();
        Long r = ctx.calls().script("replayDeadLetter", batchId, Script.REPLAY, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.open(p, conv), keys.due(p), keys.deadLetters(p),
                        keys.deadLetterIndex(p), keys.deadLetterMessages(p, batchId)},
                conv, batchId, keys.wakeChannel(), Integer.toString(p));
        return (int) ScriptStatus.countOrCode(r, "replayDeadLetter");
    }

    boolean purge(String batchId) {
        DeadLetter d = inspection.deadLetter(batchId);
        if (d == null) {
            return false;
        }
        int p = d.partition();
        Long r = ctx.calls().script("purgeDeadLetter", batchId, Script.PURGE, ScriptOutputType.INTEGER,
                new String[]{keys.deadLetters(p), keys.deadLetterIndex(p), keys.deadLetterMessages(p, batchId)},
                batchId);
        return ScriptStatus.of(r, "purgeDeadLetter") == ScriptStatus.PURGED;
    }
}
