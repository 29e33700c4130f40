package io.rapidfire.core;

/**
 * Proof that one worker holds one in-flight batch. Every follow-up operation (renew, ack, retry, dead-letter)
 * presents it; a stale lease (expired and taken over, or cleared by an operator) is refused with
 * a {@link LeaseOutcome} other than OK instead of changing another worker's batch.
 */
public record Lease(int partition, String conversationKey, String batchId, String token) {
}
