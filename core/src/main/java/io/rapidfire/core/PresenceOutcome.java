package io.rapidfire.core;

/** What a presence event did ({@link BatchQueue#presence}); the script's return codes, lua/presence-2.lua. */
public enum PresenceOutcome {
    /** Not recorded: the tenant's policy has typing-aware release (or batching) off. Nothing written. */
    IGNORED,
    /**
     * Recorded in the pace; no open batch to move (a sender typing their first message gets a conversation state
     * with the idle TTL, no batch), or it waits behind an in-flight batch.
     */
    RECORDED,
    /** Recorded, and the open batch's deadline recomputed. */
    RESCHEDULED;

    public static PresenceOutcome ofCode(long code) {
        return values()[(int) code];
    }
}
