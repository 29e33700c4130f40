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
    REPLAY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReleaseReason fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
