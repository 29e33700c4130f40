package io.rapidfire.core;

import java.util.List;
import java.util.Locale;

/**
 * When a conversation's open batch is released (DESIGN.md invariant 5; the rules are {@link ReleaseRules}, the
 * whole story is docs/release-rules.md).
 *
 * <ul>
 *   <li>{@code quietMs} without a new message, {@code maxWaitMs} after the first message, {@code maxMessages}
 *       messages, or before {@code maxBytes} content bytes; {@code joiner} glues the texts together. A quiet
 *       period of 0 turns batching off: every message is released on its own at once.</li>
 *   <li>{@code typing}: where the channel sends presence events, hold the batch while the person is composing
 *       and release it {@code typingGraceMs} after they stop; a composing not refreshed within
 *       {@code typingTimeoutMs} counts as stopped.</li>
 *   <li>{@code adaptive}: learn the conversation's own gaps and wait for them instead of the whole quiet
 *       period, never less than {@code adaptiveFloorMs}, never more than {@code quietMs}.</li>
 *   <li>{@code flushKeywords}: a message holding one of these words (or phrases) releases the batch at once;
 *       {@code firstMessageAtOnce}: a new conversation's first message goes out at once.</li>
 *   <li>{@code supersede} (RAPIDFIRE_ON_NEW_MESSAGE=supersede): a message that arrives while the conversation's
 *       batch is with the bot and not yet committed supersedes it: its messages and the new one form the next
 *       batch ({@link ReleaseRules#supersedes}); off, the new message opens the next batch (queue).
 *       {@code commitNotBeforeMs}: a commit succeeds no sooner than this after the last message.</li>
 * </ul>
 */
public record Policy(long quietMs, long maxWaitMs, int maxMessages, int maxBytes, String joiner,
                     boolean typing, long typingGraceMs, long typingTimeoutMs,
                     boolean adaptive, long adaptiveFloorMs,
                     List<String> flushKeywords, boolean firstMessageAtOnce,
                     boolean supersede, long commitNotBeforeMs, List<String> cancelKeywords, long mediaGraceMs) {
    /** The defaults of the RAPIDFIRE_QUIET_MS ... RAPIDFIRE_FIRST_MESSAGE_AT_ONCE settings. */
    public static final Policy DEFAULT = new Policy(Tunables.QUIET_MS.defaultValue(),
            Tunables.MAX_WAIT_MS.defaultValue(), Tunables.MAX_MESSAGES.defaultInt(), Tunables.MAX_BYTES.defaultInt(),
            Tunables.DEFAULT_JOINER);

    /** Each limit is its setting's range ({@link Tunables}); the error names the field, setting and range. */
    public Policy {
        Tunables.QUIET_MS.check("quietMs", quietMs);
        Tunables.MAX_WAIT_MS.check("maxWaitMs", maxWaitMs);
        Tunables.MAX_MESSAGES.check("maxMessages", maxMessages);
        Tunables.MAX_BYTES.check("maxBytes", maxBytes);
        Tunables.TYPING_GRACE_MS.check("typingGraceMs", typingGraceMs);
        Tunables.TYPING_TIMEOUT_MS.check("typingTimeoutMs", typingTimeoutMs);
        Tunables.ADAPTIVE_FLOOR_MS.check("adaptiveFloorMs", adaptiveFloorMs);
        Tunables.COMMIT_NOT_BEFORE_MS.check("commitNotBeforeMs", commitNotBeforeMs);
        Tunables.MEDIA_GRACE_MS.check("mediaGraceMs", mediaGraceMs);
        if (joiner == null) {
            throw new IllegalArgumentException("joiner must not be null (use \"\" for none)");
        }
        flushKeywords = keywords(flushKeywords, "flushKeywords", "RAPIDFIRE_FLUSH_KEYWORDS");
        cancelKeywords = keywords(cancelKeywords == null ? List.of() : cancelKeywords, "cancelKeywords",
                "RAPIDFIRE_CANCEL_KEYWORDS");
    }

    private static List<String> keywords(List<String> given, String field, String setting) {
        List<String> out = given.stream().map(k -> k.strip().toLowerCase(Locale.ROOT)).toList();
        for (String k : out) {
            if (k.isEmpty() || k.length() > 64) {
                throw new IllegalArgumentException(field + ": each keyword is 1 to 64 characters (got \"" + k
                        + "\"); separate keywords with | (setting " + setting + ")");
            }
        }
        return out;
    }

    /** Without cancel words and media grace (their settings' defaults). */
    public Policy(long quietMs, long maxWaitMs, int maxMessages, int maxBytes, String joiner,
                  boolean typing, long typingGraceMs, long typingTimeoutMs,
                  boolean adaptive, long adaptiveFloorMs,
                  List<String> flushKeywords, boolean firstMessageAtOnce, boolean supersede, long commitNotBeforeMs) {
        this(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs, adaptive,
                adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, List.of(), 0);
    }

    /** Without the supersede rule: a new message during a delivery opens the next batch (queue), no commit floor. */
    public Policy(long quietMs, long maxWaitMs, int maxMessages, int maxBytes, String joiner,
                  boolean typing, long typingGraceMs, long typingTimeoutMs,
                  boolean adaptive, long adaptiveFloorMs,
                  List<String> flushKeywords, boolean firstMessageAtOnce) {
        this(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs, adaptive,
                adaptiveFloorMs, flushKeywords, firstMessageAtOnce, false, 0, List.of(), 0);
    }

    /** The five classic limits; typing-aware release on, the rest off (the defaults of their settings). */
    public Policy(long quietMs, long maxWaitMs, int maxMessages, int maxBytes, String joiner) {
        this(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, true, Tunables.TYPING_GRACE_MS.defaultValue(),
                Tunables.TYPING_TIMEOUT_MS.defaultValue(), false, Tunables.ADAPTIVE_FLOOR_MS.defaultValue(), List.of(),
                false);
    }

    /** Batching off: every message released on its own at once (reason passthrough). */
    public Policy passthrough() {
        return withQuietMs(0).withMaxMessages(1);
    }

    public Policy withQuietMs(long v) {
        return new Policy(v, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withMaxWaitMs(long v) {
        return new Policy(quietMs, v, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withMaxMessages(int v) {
        return new Policy(quietMs, maxWaitMs, v, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withMaxBytes(int v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, v, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withJoiner(String v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, v, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    /** Typing-aware release on or off, with its grace and timeout. */
    public Policy withTyping(boolean on, long graceMs, long timeoutMs) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, on, graceMs, timeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    /** The adaptive quiet period on or off, with its floor. */
    public Policy withAdaptive(boolean on, long floorMs) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                on, floorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withFlushKeywords(List<String> v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, v, firstMessageAtOnce, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withFirstMessageAtOnce(boolean v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, v, supersede, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    /** The rule for a message that arrives while the batch is with the bot: supersede it, or queue (off). */
    public Policy withSupersede(boolean v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, v, commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    public Policy withCommitNotBeforeMs(long v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, v, cancelKeywords, mediaGraceMs);
    }

    /** Words that take back what the person was typing: the open batch goes out at once, reason cancelled. */
    public Policy withCancelKeywords(List<String> v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs, v, mediaGraceMs);
    }

    public Policy withMediaGraceMs(long v) {
        return new Policy(quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing, typingGraceMs, typingTimeoutMs,
                adaptive, adaptiveFloorMs, flushKeywords, firstMessageAtOnce, supersede, commitNotBeforeMs,
                cancelKeywords, v);
    }

    /**
     * The policy an append of a photo, voice note or file without words is made under: the time rule longer by the
     * media grace (the quiet period, the typing grace and the adaptive floor), within each one's range, max wait
     * unchanged. The store keeps the policy of the latest append, so the grace holds until the next message (its words,
     * usually) is appended under the plain policy; presence events meanwhile keep it too.
     */
    public Policy withTimeRuleLonger(long graceMs) {
        if (graceMs <= 0 || quietMs == 0) {
            return this;
        }
        long quiet = Math.min(Tunables.QUIET_MS.max(), quietMs + graceMs);
        return new Policy(quiet, maxWaitMs, maxMessages, maxBytes, joiner, typing,
                Math.min(Tunables.TYPING_GRACE_MS.max(), typingGraceMs + graceMs), typingTimeoutMs, adaptive,
                Math.min(quiet, adaptiveFloorMs + graceMs), flushKeywords, firstMessageAtOnce, supersede,
                commitNotBeforeMs, cancelKeywords, mediaGraceMs);
    }

    /** RAPIDFIRE_ON_NEW_MESSAGE's words. */
    public static final String QUEUE = "queue";
    public static final String SUPERSEDE = "supersede";

    public String onNewMessage() {
        return supersede ? SUPERSEDE : QUEUE;
    }

    /** For people: what releases a batch under this policy, e.g. in the stats and `rapidfire policy show`. */
    public String describe() {
        return "quiet " + quietMs + " ms" + (quietMs == 0 ? " (batching off)" : "") + ", max wait " + maxWaitMs + " ms, at most " + maxMessages + " messages / "
                + maxBytes + " bytes; typing-aware " + (typing ? "on (grace " + typingGraceMs + " ms, timeout "
                + typingTimeoutMs + " ms)" : "off") + "; adaptive " + (adaptive ? "on (floor " + adaptiveFloorMs
                + " ms)" : "off") + "; flush keywords " + (flushKeywords.isEmpty() ? "none" : String.join("|",
                flushKeywords)) + "; first message " + (firstMessageAtOnce ? "at once" : "batched") + "; a message during delivery "
                + (supersede ? "supersedes the batch with the bot" : "queues for the next batch") + (commitNotBeforeMs > 0
                ? "; commit not before " + commitNotBeforeMs + " ms after the last message" : "")
                + (cancelKeywords.isEmpty() ? "" : "; cancel words " + String.join("|", cancelKeywords))
                + (mediaGraceMs > 0 ? "; media without words waits " + mediaGraceMs + " ms more" : "");
    }

    /**
     * The typing, adaptive and supersede parameters as the Redis scripts store them with the batch (field
     * {@code px}): "grace,timeout,floor,supersede,commitNotBefore", grace -1 when typing-aware release is off,
     * floor -1 when adaptive is off, supersede 1 or 0. State written before issue 25 holds only the first three.
     */
    public String paceSpec() {
        return (typing ? typingGraceMs : -1) + "," + typingTimeoutMs + "," + (adaptive ? adaptiveFloorMs : -1) + ","
                + (supersede ? 1 : 0) + "," + commitNotBeforeMs;
    }

    /** This policy with the parameters of a {@link #paceSpec()} (null: typing, adaptive and supersede off). */
    public Policy withPaceSpec(String spec) {
        if (spec == null) {
            return withTyping(false, typingGraceMs, typingTimeoutMs).withAdaptive(false, adaptiveFloorMs)
                    .withSupersede(false).withCommitNotBeforeMs(0);
        }
        String[] f = spec.split(",");
        long grace = Long.parseLong(f[0]);
        long floor = Long.parseLong(f[2]);
        Policy p = withTyping(grace >= 0, grace >= 0 ? grace : typingGraceMs, Long.parseLong(f[1]))
                .withAdaptive(floor >= 0, floor >= 0 ? floor : adaptiveFloorMs);
        return f.length < 5 ? p.withSupersede(false).withCommitNotBeforeMs(0)
                : p.withSupersede("1".equals(f[3])).withCommitNotBeforeMs(Long.parseLong(f[4]));
    }
}
