package io.rapidfire.core;

/**
 * Read-only view of a batch handed to a worker ({@link FlightState#LEASED}, {@code untilMs} = lease expiry) or waiting
 * to be retried ({@link FlightState#RETRY}, {@code untilMs} = next attempt). {@code waitingMessages} have arrived since
 * and will form the next batch.
 */
public record InflightBatch(ConversationRef conversation, int partition, String batchId, int attempt, FlightState state,
                            long untilMs, String worker, String lastError, long waitingMessages) {
}
