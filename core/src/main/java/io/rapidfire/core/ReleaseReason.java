package io.rapidfire.core;

import java.util.Locale;

/** Why a batch was released (DESIGN.md invariant 5). Travels with the batch to the downstream. */
public enum ReleaseReason {
    /** The conversation was quiet for the policy's quiet period. */
    QUIET,
    /** The policy's max wait passed since the batch's first message. */
    MAX_WAIT,
    /** The batch holds the policy's max messages. */
    MAX_MESSAGES,
    /** The next message would not fit in the policy's max bytes. */
    MAX_BYTES,
    /** An operator (or API call) asked for it. */
    FLUSH,
    /** A media message arrived and the policy switch says media releases the batch at once. */
    MEDIA,
    /** Batching is off for this message (the original's unbatched route): quiet 0 and max 1 message. */
    PASSTHROUGH,
    /** An operator replayed a dead letter. */
    REPLAY,
    /** The person stopped typing (a paused presence, a sent message, or a stale composing) and the grace passed. */
    TYPING_STOPPED,
    /** The conversation's learned quiet period (shorter than the configured one) passed. */
    ADAPTIVE_QUIET,
    /** The message holds one of the policy's flush keywords. */
    KEYWORD,
    /** The first message of a conversation not seen within the idle TTL, released at once by the policy. */
    FIRST_MESSAGE,
    /** A handover started or ended: its event, and the messages before it, go out at once ({@link Handover}). */
    HANDOVER,
    /** The person took back what they were typing: a cancel word (RAPIDFIRE_CANCEL_KEYWORDS); the bot decides what to say. */
    CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReleaseReason fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
