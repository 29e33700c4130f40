package io.rapidfire.core;

/**
 * When a conversation's open batch is released (DESIGN.md invariant 5): after {@code quietMs} without a
 * new message, {@code maxWaitMs} after its first message, at {@code maxMessages} messages, or when the next
 * message would take it past {@code maxBytes} content bytes. {@code joiner} glues the texts together.
 * A quiet period of 0 turns batching off: every message is released on its own at once.
 */
public record Policy(long quietMs, long maxWaitMs, int maxMessages, int maxBytes, String joiner) {
    /** The defaults of RAPIDFIRE_QUIET_MS, _MAX_WAIT_MS, _MAX_MESSAGES, _MAX_BYTES and _JOINER. */
    public static final Policy DEFAULT = new Policy(Tunables.QUIET_MS.defaultValue(),
            Tunables.MAX_WAIT_MS.defaultValue(), Tunables.MAX_MESSAGES.defaultInt(), Tunables.MAX_BYTES.defaultInt(),
            Tunables.DEFAULT_JOINER);

    /** Each limit is its setting's range ({@link Tunables}); the error names the field, setting and range. */
    public Policy {
        Tunables.QUIET_MS.check("quietMs", quietMs);
        Tunables.MAX_WAIT_MS.check("maxWaitMs", maxWaitMs);
        Tunables.MAX_MESSAGES.check("maxMessages", maxMessages);
        Tunables.MAX_BYTES.check("maxBytes", maxBytes);
        if (joiner == null) {
            throw new IllegalArgumentException("joiner must not be null (use \"\" for none)");
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
