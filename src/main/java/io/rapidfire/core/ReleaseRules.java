package io.rapidfire.core;

/**
 * Which release rule applies (DESIGN.md invariant 5), in Java. The Redis scripts hold the same rules in Lua
 * ({@code includes/schedule.lua} for the deadline, {@code claim-2.lua} for the reason); the contract suite
 * checks both agree.
 */
public final class ReleaseRules {
    private ReleaseRules() {
    }

    /** The deadline of an open batch: now when a limit is reached or a flush was asked, else quiet / max wait. */
    public static long deadline(long count, long bytes, long firstMs, long lastMs, ReleaseReason forced, Policy p,
                                long nowMs) {
        if (forced != null || count >= p.maxMessages() || bytes >= p.maxBytes()) {
            return nowMs;
        }
        return Math.min(lastMs + p.quietMs(), firstMs + p.maxWaitMs());
    }

    /**
     * The reason a batch is (or will be) released. {@code cutByBytes}: the next message did not fit.
     * {@code forced}: a release asked for (flush, media), or null. When both time rules have passed (the batch
     * waited behind an in-flight one) the earlier deadline wins.
     */
    public static ReleaseReason reason(long count, long bytes, boolean cutByBytes, long firstMs, long lastMs,
                                       ReleaseReason forced, Policy p) {
        if (forced != null) {
            return forced;
        }
        if (p.quietMs() == 0 && p.maxMessages() == 1) {
            return ReleaseReason.PASSTHROUGH;
        }
        if (count >= p.maxMessages()) {
            return ReleaseReason.MAX_MESSAGES;
        }
        if (cutByBytes || bytes >= p.maxBytes()) {
            return ReleaseReason.MAX_BYTES;
        }
        return firstMs + p.maxWaitMs() < lastMs + p.quietMs() ? ReleaseReason.MAX_WAIT : ReleaseReason.QUIET;
    }

    /**
     * A single message larger than maxBytes could only make an over-limit batch: refuse it. Returns the
     * message's content bytes, so the append path measures them once.
     */
    public static int requireFits(Message m, Policy p) {
        int bytes = m.contentBytes();
        if (bytes > p.maxBytes()) {
            throw new InvalidMessageException("message is " + bytes + " bytes of text; the policy's maxBytes is "
                    + p.maxBytes() + " (RAPIDFIRE_MAX_BYTES): split it or raise the limit");
        }
        return bytes;
    }
}
