package io.rapidfire.core;

/**
 * Read-only view of an open batch waiting for its deadline. Times are the store's clock.
 *
 * @param typing whether the person's latest presence event says they are typing; null when their channel sends
 *               no presence events (unknown)
 */
public record PendingBatch(ConversationRef conversation, int partition, long messages, long bytes,
                           long firstMessageAtMs, long lastMessageAtMs, long dueAtMs, ReleaseReason releaseRule,
                           Boolean typing) {
}
