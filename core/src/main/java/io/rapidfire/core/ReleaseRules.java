package io.rapidfire.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The release rules (DESIGN.md invariant 5; docs/release-rules.md), pure functions of a batch's counters, its
 * policy, the conversation's {@link Pace} and a time given by the caller. This is the Java half;
 * {@code lua/includes/rules.lua} is the Lua half the Redis scripts run. One table of cases
 * ({@code src/test/resources/release-rules.json}) is checked against both halves and against every store
 * ({@code ReleaseRulesTableTest}, {@code BatchQueueContract}), so the halves cannot drift.
 *
 * <ul>
 *   <li><b>asked</b>: a release asked for at append: by the caller (media), by a cancel word (reason cancelled) or
 *       a flush keyword in the message, or for the first message of a new conversation when the policy says so;</li>
 *   <li><b>media grace</b>: a photo, voice note or file without words is appended under a longer time rule
 *       ({@link #forAppend}), so the batch waits for the words that usually follow, never past max wait;</li>
 *   <li><b>album</b>: the messages of an album, and what follows them in the open batch, are appended with room for
 *       the most messages a batch may hold ({@link #keepAlbumRoom}), so max messages never cuts an album;</li>
 *   <li><b>deadline</b>: now when a release was asked for or a limit is reached; else the earlier of
 *       {@code first + maxWaitMs} and the time rule: with presence (typing-aware, the channel sends it) the
 *       composing timeout or the stop plus the grace; without, the last message plus the quiet period (the
 *       learned one when adaptive);</li>
 *   <li><b>cut</b>: a claim takes at most {@code maxMessages} from the head of the open messages, and stops before
 *       the first one that would take the batch past {@code maxBytes} (the first message is always taken: a
 *       single message over the limit was refused at append);</li>
 *   <li><b>reason</b>: the release asked for, else passthrough (batching off), max_messages, max_bytes, and of
 *       max wait and the time rule the one whose deadline came first (the time rule names itself:
 *       typing_stopped, adaptive_quiet or quiet);</li>
 *   <li><b>supersede</b> (one answer per thought): a message that arrives while the conversation's batch is with
 *       the bot supersedes it when the policy says so, the bot has not committed, and the merged batch keeps the
 *       limits (messages, bytes, and its first message younger than max wait: a person who keeps writing is
 *       answered at max wait, not superseded forever); otherwise it queues for the next batch;</li>
 *   <li><b>commit</b>: a bot's commit succeeds no sooner than {@code commitNotBeforeMs} after the conversation's
 *       last message and, with presence, not while the person is typing again, nor within the grace after they
 *       stopped;</li>
 *   <li><b>join</b>: the non-empty texts in batch order, glued with the policy's joiner (the policy of the
 *       conversation's latest append).</li>
 * </ul>
 */
public final class ReleaseRules {
    private ReleaseRules() {
    }

    /** What separates words for the flush keywords: anything but letters and digits, in any script. */
    private static final java.util.regex.Pattern NOT_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");

    /**
     * The release asked for when {@code m} is appended: {@code asked} (e.g. MEDIA) if given, else KEYWORD when
     * the message holds a flush keyword, else FIRST_MESSAGE for a new conversation's first message when the
     * policy releases those at once, else null.
     */
    public static ReleaseReason askedAtAppend(ReleaseReason asked, Message m, Policy p, boolean newConversation) {
        ReleaseReason r = askedByMessage(asked, m, p);
        if (r == null && p.firstMessageAtOnce() && newConversation) {
            return ReleaseReason.FIRST_MESSAGE;
        }
        return r;
    }

    /** The part of {@link #askedAtAppend} that needs no store state (the Redis store sends it to the script). */
    public static ReleaseReason askedByMessage(ReleaseReason asked, Message m, Policy p) {
        if (asked != null) {
            return asked;
        }
        if (!p.cancelKeywords().isEmpty() && holdsKeyword(m.text(), p.cancelKeywords())) {
            return ReleaseReason.CANCELLED;
        }
        return !p.flushKeywords().isEmpty() && holdsKeyword(m.text(), p.flushKeywords()) ? ReleaseReason.KEYWORD : null;
    }

    /**
     * The policy {@code m} is appended under: with a media grace, a photo, voice note, video or file that carries
     * no words (no text, no caption) makes the time rule longer by it ({@link Policy#withTimeRuleLonger}), for the
     * words that usually follow; anything else, or a release asked for, the policy as it is.
     */
    public static Policy forAppend(Message m, Policy p, ReleaseReason asked) {
        boolean bareMedia = m.type().isMedia() && m.contentBytes() == 0;
        Policy q = asked == null && bareMedia && p.mediaGraceMs() > 0 ? p.withTimeRuleLonger(p.mediaGraceMs()) : p;
        return m.metadata().get(ALBUM) != null ? q.withMaxMessages(ALBUM_MAX_MESSAGES) : q;
    }

    /** The metadata field naming the album a photo belongs to (Telegram's media_group_id). */
    public static final String ALBUM = "albumId";

    /**
     * An album's messages are appended with room for the most messages a batch may hold (RAPIDFIRE_MAX_MESSAGES's
     * limit), so max messages neither releases nor cuts the batch in the middle of one (rules.lua
     * RULE_ALBUM_MAX_MESSAGES is the same number).
     */
    public static final int ALBUM_MAX_MESSAGES = (int) Tunables.MAX_MESSAGES.max();

    /**
     * The policy a store keeps after an append: the appended one, except that an open batch holding an album keeps
     * the album's room until it is claimed, so the words that follow an album (appended under the plain policy)
     * cannot have it cut either. {@code openBefore}: open messages before this one (append-6.lua does the same).
     */
    public static Policy keepAlbumRoom(Policy stored, Policy given, int openBefore) {
        return openBefore > 0 && stored != null && stored.maxMessages() == ALBUM_MAX_MESSAGES
                && given.maxMessages() != ALBUM_MAX_MESSAGES ? given.withMaxMessages(ALBUM_MAX_MESSAGES) : given;
    }

    /**
     * A keyword matches whole words, ignoring case: "done" matches "ok, DONE!" but not "undone"; a phrase
     * ("that's all") matches the same words in a row. Words are runs of letters and digits (any script).
     */
    public static boolean holdsKeyword(String text, List<String> keywords) {
        String words = " " + String.join(" ", NOT_WORD.split(text.toLowerCase(java.util.Locale.ROOT))) + " ";
        for (String k : keywords) {
            String kw = String.join(" ", NOT_WORD.split(k)).strip();
            if (!kw.isEmpty() && words.contains(" " + kw + " ")) {
                return true;
            }
        }
        return false;
    }

    /** The deadline of an open batch: now when a limit is reached or a release was asked for, else the time rules. */
    public static long deadline(long count, long bytes, long firstMs, long lastMs, ReleaseReason forced, Policy p,
                                Pace pace, long nowMs) {
        if (forced != null || count >= p.maxMessages() || bytes >= p.maxBytes()) {
            return nowMs;
        }
        return Math.min(timeRule(lastMs, p, pace), firstMs + p.maxWaitMs());
    }

    /** Typing-aware release applies: the policy has it, batching is on, and the channel sent presence. */
    static boolean byTyping(Policy p, Pace pace) {
        return p.typing() && p.quietMs() > 0 && pace.presence;
    }

    /** When the time rule releases: composing timeout, stop + wait, or last message + quiet. */
    static long timeRule(long lastMs, Policy p, Pace pace) {
        if (byTyping(p, pace)) {
            return pace.presenceAtMs() + (pace.composing() ? p.typingTimeoutMs() : stopWaitMs(p, pace));
        }
        return lastMs + quietWaitMs(p, pace);
    }

    /** After the person stopped typing: the grace, or with adaptive the learned pause before typing again. */
    static long stopWaitMs(Policy p, Pace pace) {
        return learned(p, pace, p.typingGraceMs(), Math.max(p.quietMs(), p.typingGraceMs()), p.typingGraceMs());
    }

    /** Without presence: the quiet period, or with adaptive the learned window within [floor, quiet]. */
    static long quietWaitMs(Policy p, Pace pace) {
        return learned(p, pace, p.adaptiveFloorMs(), p.quietMs(), p.quietMs());
    }

    /** The learned window within [lo, hi] when adaptive is on and there is a sample, else {@code otherwise}. */
    private static long learned(Policy p, Pace pace, long lo, long hi, long otherwise) {
        long w = pace.windowMs();
        if (!p.adaptive() || w < 0) {
            return otherwise;
        }
        return Math.min(hi, Math.max(w, lo));
    }

    /**
     * Whether a message just appended supersedes the batch in flight. {@code flight*}: the batch with the bot;
     * {@code open*}: the open messages, the new one included.
     */
    public static boolean supersedes(Policy p, boolean committed, long flightCount, long flightBytes,
                                     long flightFirstMs, long openCount, long openBytes, long nowMs) {
        return p.supersede() && !committed && flightCount + openCount <= p.maxMessages()
                && flightBytes + openBytes <= p.maxBytes() && nowMs < flightFirstMs + p.maxWaitMs();
    }

    /**
     * The store time from which a commit may succeed (it succeeds when this is not after now): the floor after
     * the conversation's last message, and with presence, while the person types again, their composing timeout
     * (re-checked at every presence event), after they stopped, the stop plus the grace; never later than max wait
     * after the batch's first message ({@code batchFirstMs}): from then on new messages no longer supersede it, so
     * a person who keeps writing is answered then, as max wait promises. Under {@code queue} nothing waits: a new
     * message cannot take the batch back, so holding the bot would only delay its answer.
     */
    public static long commitReadyAt(Policy p, Pace pace, long batchFirstMs) {
        if (!p.supersede()) {
            return pace.lastMessageMs;
        }
        long at = pace.lastMessageMs + p.commitNotBeforeMs();
        if (byTyping(p, pace)) {
            if (pace.composing()) {
                at = Math.max(at, pace.composingAtMs + p.typingTimeoutMs());
            } else if (pace.stoppedAtMs > pace.lastMessageMs) {
                at = Math.max(at, pace.stoppedAtMs + p.typingGraceMs());
            }
        }
        return Math.min(at, batchFirstMs + p.maxWaitMs());
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
     * {@code forced}: a release asked for (flush, media, keyword, first message, replay), or null. When both max
     * wait and the time rule have passed (the batch waited behind an in-flight one) the earlier wins; on a tie,
     * the time rule.
     */
    public static ReleaseReason reason(long count, long bytes, boolean cutByBytes, long firstMs, long lastMs,
                                       ReleaseReason forced, Policy p, Pace pace) {
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
        if (firstMs + p.maxWaitMs() < timeRule(lastMs, p, pace)) {
            return ReleaseReason.MAX_WAIT;
        }
        if (byTyping(p, pace)) {
            return ReleaseReason.TYPING_STOPPED;
        }
        return quietWaitMs(p, pace) < p.quietMs() ? ReleaseReason.ADAPTIVE_QUIET : ReleaseReason.QUIET;
    }

    /** The batch's combined text: non-empty texts (captions of media count) glued with the joiner. */
    public static String join(List<Message> messages, String joiner) {
        return messages.stream().map(ReleaseRules::asRead).filter(t -> !t.isEmpty()).collect(Collectors.joining(joiner));
    }

    /** A message as the combined text reads it: an edit left in a batch (its original went out earlier) says so. */
    private static String asRead(Message m) {
        return m.type() == MessageType.EDIT && !m.text().isEmpty() ? EDITED + m.text() : m.text();
    }

    /** What the combined text puts before a late edit, so a bot reading only the text sees a correction as one. */
    public static final String EDITED = "(edited) ";

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
