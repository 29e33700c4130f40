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
}
