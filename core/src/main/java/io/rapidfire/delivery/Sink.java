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

    /**
     * How the downstream commits a batch it has (one answer per thought). IMMEDIATE: a successful delivery is the
     * commit (the HTTP sink: the bot answered within the exchange, or said 202 "later" itself). CONSUMER: the batch
     * waits in a stream whose consumer commits through the commit route, or the commit timeout passes; a new
     * message supersedes it directly and the sink is told ({@link #superseded}). WITHDRAWABLE: the batch waits in a
     * queue (BullMQ); a new message supersedes it only if the sink can still take it back ({@link #withdraw}), since
     * a consumer that has taken it (a stock worker) cannot be told. Only batches whose policy supersedes wait.
     */
    enum CommitStyle { IMMEDIATE, CONSUMER, WITHDRAWABLE }

    default CommitStyle commitStyle() {
        return CommitStyle.IMMEDIATE;
    }

    /** A batch this sink delivered, awaiting its commit, was superseded: tell the consumer (CONSUMER style). */
    default CompletableFuture<Void> superseded(Batch batch) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Takes back a batch this sink delivered if its consumer has not taken it yet, atomically (WITHDRAWABLE style):
     * true when withdrawn, false when the consumer has it.
     */
    default CompletableFuture<Boolean> withdraw(Batch batch) {
        return CompletableFuture.completedFuture(false);
    }

    /** What kind of sink, for span names and attributes: http, bullmq, stream, log; "custom" if not said. */
    default String kind() {
        return "custom";
    }

    /** For logs, e.g. "http POST https://bot.example/batches". No secrets. */
    default String describe() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {
    }
}
