package io.rapidfire.core;

import java.util.List;

/**
 * The handover state of conversations ({@link Handover}), kept by the store beside the batches so that a claim
 * marks a batch {@code handover} and a bot's commit is answered "handed over" atomically with them. Times are the
 * store's clock: a handover ends exactly at its time on every store. Specified by {@code HandoverContract}; every
 * method throws {@link StoreUnavailableException} when the store cannot be reached.
 *
 * <p>Announcing the changes is not the store's job: {@code HandoverControl} appends the "started" and "ended"
 * events to the conversation, and announces the ends that came by expiry, found with {@link #expiredHandovers}.
 */
public interface Handovers {

    /** The conversation's handover in force now, or null (the bot answers). */
    Handover handover(ConversationRef conversation);

    /**
     * Starts a handover lasting {@code forMs} from now ({@link Handover#FOREVER}: no end), or refreshes the one in
     * force: its end moves later, never earlier (a business message during "bot off" leaves it off), and its start
     * and who started it stay.
     *
     * @param forMs {@link Handover#FOREVER} or 1 ms to {@link Handover#MAX_MS}
     */
    HandoverChange startHandover(ConversationRef conversation, long forMs, HandoverBy by);

    /** Ends the handover in force; returns it, or null when there was none (then nothing changes). */
    Handover endHandover(ConversationRef conversation);

    /** Handovers of one partition whose time ran out and whose end was not yet announced, oldest end first. */
    List<Handover> expiredHandovers(int partition, int max);

    /**
     * Forgets an expired handover once its end was announced; false when it is not that one any more (started again
     * or ended meanwhile: then nothing changes).
     */
    boolean forgetHandover(Handover expired);

    /** Handovers in force now, at most {@code limit}, in partition order. */
    List<Handover> handovers(int limit);

    /** How many changes {@link #recentChanges} keeps. */
    int RECENT_CHANGES = 200;

    /**
     * Remembers one change (a line for operators: {@code HandoverControl} writes JSON with the conversation, what
     * changed, who and when); the newest {@value #RECENT_CHANGES} are kept, across every process.
     */
    void recordChange(String line);

    /** The changes remembered, newest first, at most {@code limit}. */
    List<String> recentChanges(int limit);

    /**
     * @param started true when no handover was in force before (a "started" event is due); false for a refresh
     * @param expired a handover of this conversation that ran out and whose end was not announced yet, else null:
     *                its "ended" event is due before the new one's "started" (then it is forgotten)
     */
    record HandoverChange(Handover state, boolean started, Handover expired) {
    }
}
