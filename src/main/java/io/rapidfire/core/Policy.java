package io.rapidfire.core;

/**
 * When a conversation's open batch is released (DESIGN.md invariant 5): after {@code quietMs} without a
 * new message, {@code maxWaitMs} after its first message, at {@code maxMessages} messages, or when the next
 * message would take it past {@code maxBytes} content bytes. {@code joiner} glues the texts together.
 * A quiet period of 0 turns batching off: every message is released on its own at once.
 */
public record Policy(long quietMs, long maxWaitMs, int maxMessages, int maxBytes, String joiner) {
    public static final long DEFAULT_QUIET_MS = 5_000;
    public static final long DEFAULT_MAX_WAIT_MS = 30_000;
    public static final int DEFAULT_MAX_MESSAGES = 10;
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;
    public static final String DEFAULT_JOINER = " ";

    public static final long MAX_PERIOD_MS = 86_400_000L;
    /** Kept small so a claim (which copies one batch inside one Lua call) stays cheap. */
    public static final int MAX_MESSAGES_LIMIT = 1_000;
    public static final int MAX_BYTES_LIMIT = 1_048_576;

    public static final Policy DEFAULT = new Policy(DEFAULT_QUIET_MS, DEFAULT_MAX_WAIT_MS, DEFAULT_MAX_MESSAGES,
            DEFAULT_MAX_BYTES, DEFAULT_JOINER);

    public Policy {
        check("quietMs", quietMs, 0, MAX_PERIOD_MS);
        check("maxWaitMs", maxWaitMs, 1, MAX_PERIOD_MS);
        check("maxMessages", maxMessages, 1, MAX_MESSAGES_LIMIT);
        check("maxBytes", maxBytes, 1, MAX_BYTES_LIMIT);
        if (joiner == null) {
            throw new IllegalArgumentException("joiner must not be null (use \"\" for none)");
        }
    }

    private static void check(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + v);
        }
    }

    /** Batching off: every message released on its own at once (reason passthrough). */
    public Policy passthrough() {
        return new Policy(0, maxWaitMs, 1, maxBytes, joiner);
    }

    public Policy withQuietMs(long v) {
        return new Policy(v, maxWaitMs, maxMessages, maxBytes, joiner);
    }

    public Policy withMaxWaitMs(long v) {
        return new Policy(quietMs, v, maxMessages, maxBytes, joiner);
    }

    public Policy withMaxMessages(int v) {
        return new Policy(quietMs, maxWaitMs, v, maxBytes, joiner);
    }

    public Policy withMaxBytes(int v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, v, joiner);
    }

    public Policy withJoiner(String v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, v);
    }
}
