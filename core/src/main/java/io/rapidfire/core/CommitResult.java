package io.rapidfire.core;

/**
 * What a bot's commit got ({@link BatchQueue#commit}): may it post its answer to this batch? (docs/release-rules.md,
 * one answer per thought.)
 *
 * @param supersededBy for SUPERSEDED, the batch that carries these messages again, or null while it is not yet
 *                     released
 * @param readyAtMs    for NOT_YET, the store time from which the commit may succeed if nothing changes (the
 *                     person is typing, or the policy's commit floor); the caller asks again
 */
public record CommitResult(Outcome outcome, String supersededBy, long readyAtMs) {
    public enum Outcome {
        /** Yes: from now on a new message opens the next batch, whatever the rule. Asked again: the same. */
        COMMITTED,
        /** No: the person wrote again and the batch was superseded; drop the answer, the whole thought comes next. */
        SUPERSEDED,
        /** Not yet: the person is typing again (or the commit floor has not passed); ask again at readyAtMs. */
        NOT_YET,
        /** No batch of this id is with a bot: never existed, or already finished (acknowledged, dead-lettered). */
        UNKNOWN,
        /** No: a human took the conversation over ({@link Handover}); drop the answer. */
        HANDED_OVER
    }

    /**
     * A late commit of a finished batch, answered from its tombstone (kept 10 minutes): "c" committed, "h" refused
     * because a human had the chat, "s:&lt;id&gt;" superseded by that batch (includes/finishFlight.lua, MemoryState).
     */
    public static CommitResult ofTombstone(String t) {
        return t.equals("c") ? committed() : t.equals("h") ? handedOver() : superseded(t.substring(2));
    }

    public static CommitResult handedOver() {
        return new CommitResult(Outcome.HANDED_OVER, null, -1);
    }

    public static CommitResult committed() {
        return new CommitResult(Outcome.COMMITTED, null, -1);
    }

    public static CommitResult superseded(String by) {
        return new CommitResult(Outcome.SUPERSEDED, by, -1);
    }

    public static CommitResult notYet(long readyAtMs) {
        return new CommitResult(Outcome.NOT_YET, null, readyAtMs);
    }

    public static CommitResult unknown() {
        return new CommitResult(Outcome.UNKNOWN, null, -1);
    }
}
