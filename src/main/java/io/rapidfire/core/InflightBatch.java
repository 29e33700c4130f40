package io.rapidfire.core;

/**
 * Read-only view of a batch handed to a worker (state "leased", {@code untilMs} = lease expiry) or waiting
 * to be retried (state "retry", {@code untilMs} = next attempt). {@code waitingMessages} have arrived since
 * and will form the next batch.
 */
public record InflightBatch(ConversationRef conversation, int partition, String batchId, int attempt, String state,
                            long untilMs, String worker, String lastError, long waitingMessages) {
}
