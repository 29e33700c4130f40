package io.rapidfire.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The release rules (DESIGN.md invariant 5), pure functions of a batch's counters, its policy and a time
 * given by the caller. This is the Java half; {@code lua/includes/rules.lua} is the Lua half the Redis scripts
 * run. One table of cases ({@code src/test/resources/release-rules.json}) is checked against both halves and
 * against every store ({@code ReleaseRulesTableTest}, {@code BatchQueueContract}), so the halves cannot drift.
 *
 * <ul>
 *   <li><b>deadline</b>: now when a release was asked for (flush, media, replay) or a limit is reached, else the
 *       earlier of {@code last + quietMs} and {@code first + maxWaitMs};</li>
 *   <li><b>cut</b>: a claim takes at most {@code maxMessages} from the head of the open messages, and stops before
 *       the first one that would take the batch past {@code maxBytes} (the first message is always taken: a
 *       single message over the limit was refused at append);</li>
 *   <li><b>reason</b>: the release asked for, else passthrough (batching off), max_messages, max_bytes, and of
 *       the two time rules the one whose deadline came first;</li>
 *   <li><b>join</b>: the non-empty texts in batch order, glued with the policy's joiner (the policy of the
 *       conversation's latest append).</li>
 * </ul>
 */
public final class ReleaseRules {
    private ReleaseRules() {
    }

    /** The deadline of an open batch: now when a limit is reached or a release was asked for, else quiet / max wait. */
    public static long deadline(long count, long bytes, long firstMs, long lastMs, ReleaseReason forced, Policy p,
                                long nowMs) {
        if (forced != null || count >= p.maxMessages() || bytes >= p.maxBytes()) {
            return nowMs;
        }
        return Math.min(lastMs + p.quietMs(), firstMs + p.maxWaitMs());
    }

    /** How a claim cuts a batch off the head of the open messages. */
    public record Cut(int taken, long bytes, boolean byBytes) {
    }

    /** @param sizes content bytes of the open messages in arrival order */
    public static Cut cut(int[] sizes, Policy p) {
        int n = 0;
        long bytes = 0;
        int head = Math.min(sizes.length, p.maxMessages());
        for (int i = 0; i < head; i++) {
            if (n > 0 && bytes + sizes[i] > p.maxBytes()) {
                return new Cut(n, bytes, true);
            }
            n++;
            bytes += sizes[i];
        }
        return new Cut(n, bytes, false);
    }

    /**
     * The reason a batch is (or will be) released. {@code cutByBytes}: the next message did not fit.
     * {@code forced}: a release asked for (flush, media, replay), or null. When both time rules have passed (the
     * batch waited behind an in-flight one) the earlier deadline wins; on a tie, quiet.
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

    /** The batch's combined text: non-empty texts (captions of media count) glued with the joiner. */
    public static String join(List<Message> messages, String joiner) {
        return messages.stream().map(Message::text).filter(t -> !t.isEmpty()).collect(Collectors.joining(joiner));
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
