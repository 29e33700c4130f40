package io.rapidfire.core;

/**
 * A conversation handed to a human: the bot must not answer it until {@code untilMs} (store clock), or ever while
 * {@link #FOREVER} ("bot off"), unless the handover is ended first. While it lasts nothing is lost: messages are
 * stored and batched as usual and their batches reach the bot marked {@code handover} (record them, do not answer).
 * The lifecycle and who may start and end one: docs/operations.md, "Handing a conversation to a human".
 *
 * @param sinceMs when it started (store clock); a refresh keeps it
 * @param untilMs when it ends by itself (store clock), or {@link #FOREVER}
 * @param by      who started it: a {@link HandoverBy} word
 */
public record Handover(ConversationRef conversation, long sinceMs, long untilMs, String by) {
    /** {@link #untilMs} of a handover that never ends by itself ("bot off"). */
    public static final long FOREVER = -1;

    /** The longest a handover may last when a time is given: a week (beyond it, say "bot off": no expiry). */
    public static final long MAX_MS = 7L * 24 * 3600 * 1000;

    public boolean forever() {
        return untilMs == FOREVER;
    }

    /** Whether it holds at store time {@code nowMs}: it ends exactly at {@code untilMs}. */
    public boolean activeAt(long nowMs) {
        return forever() || untilMs > nowMs;
    }

    /**
     * A handover's length as asked: {@link #FOREVER} or 1 ms to {@link #MAX_MS}.
     *
     * @throws IllegalArgumentException naming the range
     */
    public static long checkLength(long forMs) {
        if (forMs != FOREVER && (forMs <= 0 || forMs > MAX_MS)) {
            throw new IllegalArgumentException("a handover lasts 1 ms to one week (" + MAX_MS + " ms), or has no end "
                    + "(bot off); got " + forMs + " ms");
        }
        return forMs;
    }
}
