package io.rapidfire.delivery;

import io.rapidfire.core.Batch;

/**
 * Hands a batch to the bot. Called by the worker, possibly concurrently for different conversations, and
 * possibly more than once for the same batch (at-least-once): the batchId lets the downstream drop repeats.
 * An exception counts as RETRY.
 */
@FunctionalInterface
public interface Sink extends AutoCloseable {
    DeliveryOutcome deliver(Batch batch) throws Exception;

    /** For logs, e.g. "http POST https://bot.example/batches". No secrets. */
    default String describe() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {
    }
}
