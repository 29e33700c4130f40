package io.rapidfire.core;

import java.util.List;

/**
 * What operators do to and see of a store: release or drop a conversation's messages, and look at what is
 * pending and in flight. Never on the hot path. Specified by {@code StoreAdminContract}. Every method throws
 * {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface StoreAdmin {

    /**
     * Makes the conversation's open batch due now with reason FLUSH (after the in-flight one, if any).
     *
     * @return false if the conversation has no open messages
     */
    boolean flush(ConversationRef conversation);

    /** Drops the conversation's open and in-flight messages. Returns how many messages were dropped. */
    long clear(ConversationRef conversation);

    /** Open batches in deadline order, at most {@code limit} per partition. */
    List<PendingBatch> pending(int limit);

    List<InflightBatch> inflight(int limit);

    StoreCounts counts();

    /**
     * Conversations with an open or in-flight batch whose key (tenant:channel:conversation) holds {@code text} (a
     * contact's number or id, part of a conversation key) or that received a message of id {@code text} (within the
     * de-duplication window), and the batch in flight whose id is {@code text}; at most {@code limit}. A server-side scan of the indexes (no extra index on the hot path): fine at 100,000 open.
     */
    List<Found> find(String text, int limit);

    /** @param batchId the batch in flight, or null for an open batch */
    record Found(ConversationRef conversation, boolean inFlight, String batchId) {
    }
}
