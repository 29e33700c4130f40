package io.rapidfire.core;

/** What a presence event did ({@link BatchQueue#presence}); the script's return codes, lua/presence-2.lua. */
public enum PresenceOutcome {
    /** The store knows no such conversation (no message within the idle TTL): nothing written. */
    UNKNOWN,
    /** Recorded in the pace; no open batch to move, or it waits behind an in-flight batch. */
    RECORDED,
    /** Recorded, and the open batch's deadline recomputed. */
    RESCHEDULED;

    public static PresenceOutcome ofCode(long code) {
        return values()[(int) code];
    }
}
