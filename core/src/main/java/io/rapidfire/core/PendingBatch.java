package io.rapidfire.core;

/** Read-only view of an open batch waiting for its deadline. Times are the store's clock. */
public record PendingBatch(ConversationRef conversation, int partition, long messages, long bytes,
                           long firstMessageAtMs, long lastMessageAtMs, long dueAtMs, ReleaseReason releaseRule) {
}
