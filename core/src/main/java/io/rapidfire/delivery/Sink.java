package io.rapidfire.delivery;

import io.rapidfire.core.Batch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Hands a batch to the bot. Called by the worker, possibly concurrently for different conversations, and
 * possibly more than once for the same batch (at-least-once): the batchId lets the downstream drop repeats.
 * An exception counts as RETRY.
 *
 * <p><b>Threads.</b> The worker calls {@link #deliverAsync}. A sink that waits on the network overrides it and
 * holds no thread while the downstream thinks (a bot behind an LLM answers in seconds; {@link HttpSink} does
 * this), so one worker keeps hundreds of deliveries in flight. A sink that only implements {@link #deliver}
 * runs it on the worker's pool for blocking sinks, one thread per delivery in flight.
 */
@FunctionalInterface
public interface Sink extends AutoCloseable {
    DeliveryOutcome deliver(Batch batch) throws Exception;

    /**
     * Starts a delivery; the future completes with the outcome (or exceptionally, which counts as RETRY). The
     * worker may cancel it at shutdown; the batch is then released for another worker.
     *
     * @param blocking where a blocking {@link #deliver} may run
     */
    default CompletableFuture<DeliveryOutcome> deliverAsync(Batch batch, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return deliver(batch);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }

    /**
     * For an asynchronous sink's blocking {@link #deliver}: waits for the outcome and rethrows the sink's own
     * exception (an exception counts as RETRY).
     */
    static DeliveryOutcome await(CompletableFuture<DeliveryOutcome> outcome) throws Exception {
        try {
            return outcome.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    /** For logs, e.g. "http POST https://bot.example/batches". No secrets. */
    default String describe() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {
    }
}
