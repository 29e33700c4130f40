package io.rapidfire.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Starts and ends handovers ({@link Handover}) and announces each change as an event in the conversation: a
 * {@link MessageType#HANDOVER} message appended like any other, released at once with reason {@code handover}, so
 * the event reaches the bot through the same sink, in order with the conversation's batches, and whatever the
 * person wrote before it goes out with it. The lifecycle:
 *
 * <ul>
 *   <li><b>started</b> by an operator, the business's own message, the bot ({@code {"handover": true}}) or the
 *       person's keyword; a start while one is in force only moves its end later (no second event);</li>
 *   <li><b>while it lasts</b> every batch is claimed marked {@code handover} and a bot's commit is answered
 *       "handed over" (409);</li>
 *   <li><b>ended</b> by an operator or a keyword (event at once), or by expiry: exactly at its time the store stops
 *       marking batches, and {@link #announceExpired} (the worker, about once a second) appends the "ended" event.</li>
 * </ul>
 *
 * <p>Announcing is idempotent, so a change is never left unannounced: a start announces "started", and so does a
 * refresh within its first minute (the caller's retry after a failure); an end announces "ended" before it removes
 * the state, and "started" again before it within that minute (a caller that never retried); the ids below drop the
 * repeats (all within the shortest de-duplication window). Left open: an end and a
 * new start in the same millisecond share a start time, so the new one's events are dropped as repeats.
 *
 * <p>An event never supersedes the batch with the bot (it is appended under the policy with supersede off): a
 * batch the person wrote before a human took over is the bot's to record, and its commit says "handed over". Event
 * ids are fixed per handover ({@code handover-started-<since>}, {@code handover-ended-<since>}), so an event
 * appended twice (a retried expiry announcement) is dropped as a duplicate.
 */
public final class HandoverControl {
    private static final Logger log = LoggerFactory.getLogger(HandoverControl.class);
    /** How many expired handovers one announcement round takes per partition. */
    static final int ANNOUNCE_BATCH = 100;
    /** A refresh announces "started" again only this soon after the start: the shortest de-duplication window. */
    static final long REANNOUNCE_WITHIN_MS = Tunables.DEDUP_WINDOW_MS.min();

    private final BatchQueue queue;
    private final Handovers handovers;
    private final Function<ConversationRef, Policy> policies;

    /** @param policies the policy a conversation's messages are appended under (its tenant's) */
    public HandoverControl(BatchQueue queue, Handovers handovers, Function<ConversationRef, Policy> policies) {
        this.queue = queue;
        this.handovers = handovers;
        this.policies = policies;
    }

    public static HandoverControl of(BatchStore store, Function<ConversationRef, Policy> policies) {
        return new HandoverControl(store, store, policies);
    }

    /** The handover in force, or null. */
    public Handover state(ConversationRef conversation) {
        return handovers.handover(conversation);
    }

    /**
     * Starts (or refreshes) a handover of {@code forMs} ({@link Handover#FOREVER}: bot off until an operator or a
     * keyword ends it); a new one is announced with a "started" event.
     */
    public Handover start(ConversationRef conversation, long forMs, HandoverBy by) {
        Handovers.HandoverChange c = handovers.startHandover(conversation, forMs, by);
        if (c.expired() != null) {
            announceEnd(c.expired(), HandoverBy.EXPIRY.wire());
        }
        if (c.started()) {
            log.info("Handover of {} started by {} ({})", Mask.conversation(conversation.key()), by.wire(),
                    c.state().forever() ? "no end: bot off" : "until store time " + c.state().untilMs());
        }
        // Also on a refresh in the handover's first minute: if the first announcement failed (the store went away
        // after the state was written), the caller's retry makes it; if it did not, the event's id drops this one as a
        // duplicate. Only within the shortest de-duplication window (RAPIDFIRE_DEDUP_WINDOW_MS is at least a minute),
        // so that a repeat is always recognised.
        if (c.started() || queue.nowMs() - c.state().sinceMs() < REANNOUNCE_WITHIN_MS) {
            announce(c.state(), "started", c.state().by());
        }
        return c.state();
    }

    /**
     * Ends the handover in force and announces it; null when there was none. The event goes first and the state
     * second, so a failure between them leaves the handover in force and a retry ends it (its repeated event dropped).
     */
    public Handover end(ConversationRef conversation, HandoverBy by) {
        Handover h = handovers.handover(conversation);
        if (h == null) {
            return null;
        }
        announceEnd(h, by.wire());
        Handover ended = handovers.endHandover(conversation);
        log.info("Handover of {} ended by {}", Mask.conversation(conversation.key()), by.wire());
        return ended != null ? ended : h;
    }

    /**
     * Announces the handovers whose time ran out: their "ended" event first, then forgets them, so a crash between
     * the two announces again (the event id drops the repeat). Returns how many were announced.
     */
    public int announceExpired() {
        int n = 0;
        RuntimeException first = null;
        for (int p = 0; p < queue.partitions(); p++) {
            try {
                for (Handover h : handovers.expiredHandovers(p, ANNOUNCE_BATCH)) {
                    announceEnd(h, HandoverBy.EXPIRY.wire());
                    handovers.forgetHandover(h);
                    n++;
                }
            } catch (RuntimeException e) {
                first = first == null ? e : first; // the other partitions still get their round
            }
        }
        if (first != null) {
            throw first;
        }
        return n;
    }

    /**
     * "ended", after "started" again when the handover is younger than the shortest de-duplication window: a start
     * whose announcement failed and whose caller never asked again (an operator who moved on after a 503) still
     * reaches the bot as a start, then an end; when the first announcement went through, the repeat is dropped by
     * its id. (Left open: the same failure for a handover that outlives the window ends without its start.)
     */
    private void announceEnd(Handover h, String by) {
        if (queue.nowMs() - h.sinceMs() < REANNOUNCE_WITHIN_MS) {
            announce(h, "started", h.by());
        }
        announce(h, "ended", by);
    }

    /** @param by who made the change: a {@link HandoverBy} word */
    private void announce(Handover h, String what, String by) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("handover", what);
        meta.put("by", by);
        meta.put("startedBy", h.by());
        meta.put("since", h.sinceMs());
        meta.put("until", h.forever() ? null : h.untilMs());
        Message event = new Message("handover-" + what + "-" + h.sinceMs(), h.conversation(), MessageType.HANDOVER, "",
                null, System.currentTimeMillis(), List.of(), meta);
        AppendResult r = queue.append(event, policies.apply(h.conversation()).withSupersede(false), ReleaseReason.HANDOVER);
        if (!r.duplicate()) {
            // A line for operators (the dashboard), once per change; the event itself is what the bot reads.
            com.fasterxml.jackson.databind.node.ObjectNode line = MessageCodec.JSON.createObjectNode()
                    .put("conversation", h.conversation().key()).put("handover", what).put("by", by)
                    .put("startedBy", h.by()).put("atMs", queue.nowMs());
            try {
                handovers.recordChange(line.toString());
            } catch (RuntimeException e) {
                log.warn("Handover change of {} announced, but not listed for operators: {}",
                        Mask.conversation(h.conversation().key()), e.getMessage());
            }
        }
    }
}
