package io.rapidfire.core;

/**
 * @param pending     conversations with an open batch waiting for its deadline
 * @param inflight    batches handed to a worker or waiting for a retry
 * @param deadLetters batches given up on
 */
public record StoreCounts(long pending, long inflight, long deadLetters) {
}
