package io.rapidfire.worker;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchQueue;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Mask;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.Sink;
import io.rapidfire.trace.BatchSpans;
import io.rapidfire.trace.Tracing;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Delivers claimed batches: keeps each lease alive (renewed every third of its length) while the sink works,
 * asks {@link RetryDecision} what the sink's answer means, and records that in the store (ack, retry with
 * backoff, release, dead letter) on a small pool of finisher threads. Nothing here waits for the bot: a sink that
 * waits on the network completes a future. If the outcome cannot be recorded the batch comes back, same batchId,
 * when its lease runs out.
 *
 * <p>A batch superseded while it is delivered (the person wrote again; one answer per thought) is stopped: the
 * worker hears it on the store's wake-up channel ({@link #supersede}), or at the latest at the next lease renewal,
 * cancels the sink's call (the HTTP sink aborts the exchange, so the bot sees its client go away) and records
 * nothing: the store has already taken the batch back.
 */
final class Deliverer {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final BatchQueue store;
    private final Sink sink;
    private final WorkerSettings settings;
    private final Backoff backoff;
    private final DeliveryObserver observer;
    private final ScheduledExecutorService renewals;
    private final Executor finishers;
    private final Executor blocking;
    private final BooleanSupplier stopping;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong superseded = new AtomicLong();
    /**
     * Batches this worker delivered to a sink whose consumer commits later (a stream, a BullMQ queue), while they
     * await the commit: when the store says one was superseded, or asks to withdraw one, this worker has the batch
     * the sink needs. Forgotten at the commit timeout (the store then counts it as committed).
     */
    private final java.util.Map<String, Awaiting> awaiting = new java.util.concurrent.ConcurrentHashMap<>();

    private record Awaiting(Batch batch, int partition, long untilNanos) {
    }

    /** The spans of each delivery (io.rapidfire.trace.BatchSpans); with Tracing.OFF, none. */
    private volatile BatchSpans spans;

    Deliverer(BatchQueue store, Sink sink, WorkerSettings settings, DeliveryObserver observer,
              ScheduledExecutorService renewals, Executor finishers, Executor blocking, BooleanSupplier stopping) {
        this.store = store;
        this.sink = sink;
        this.settings = settings;
        this.backoff = new Backoff(settings.retryBaseMs(), settings.retryMaxMs());
        this.observer = observer;
        this.renewals = renewals;
        this.finishers = finishers;
        this.blocking = blocking;
        this.stopping = stopping;
        this.spans = new BatchSpans(Tracing.OFF, sink.kind());
    }

    /** Spans for every delivery from now on (io.rapidfire.trace.BatchSpans); Tracing.OFF: none. */
    void tracing(Tracing tracing) {
        this.spans = new BatchSpans(tracing, sink.kind());
    }

    /**
     * One delivery in flight: {@code call} is the sink's work (the worker cancels it when it gives up at
     * shutdown); {@code done} completes, never exceptionally, once the outcome is recorded in the store.
     */
    record InFlight(ClaimedBatch claimed, CompletableFuture<DeliveryOutcome> call, CompletableFuture<Void> done,
                    java.util.concurrent.atomic.AtomicBoolean superseded) {
    }

    /** Metrics of a release; they never stop a delivery (the lease renewal is already scheduled). */
    private void released(Batch b, long lateMs) {
        try {
            observer.released(b, lateMs);
        } catch (RuntimeException e) {
            log.warn("Release of batch {} not recorded in the metrics: {}", b.batchId(), e.toString());
        }
    }

    /** The store says this delivery's batch was superseded: stop it (the outcome is recorded as superseded). */
    static void supersede(InFlight f) {
        if (f.superseded().compareAndSet(false, true)) {
            f.call().cancel(true);
        }
    }

    /** Starts delivering; no thread waits on the sink unless the sink itself blocks (see {@link Sink}). */
    InFlight start(ClaimedBatch claimed) {
        Batch b = claimed.batch();
        Lease lease = claimed.lease();
        long every = Math.max(100, settings.leaseMs() / 3);
        java.util.concurrent.atomic.AtomicBoolean wasSuperseded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<DeliveryOutcome>> started =
                new java.util.concurrent.atomic.AtomicReference<>();
        ScheduledFuture<?> renewal = renewals.scheduleAtFixedRate(() -> {
            if (renew(lease) == LeaseOutcome.SUPERSEDED && wasSuperseded.compareAndSet(false, true)
                    && started.get() != null) {
                started.get().cancel(true); // the wake-up was missed: the renewal is the safety net
            }
        }, every, every, TimeUnit.MILLISECONDS);
        RetryDecision early = RetryDecision.beforeDelivery(b, settings.maxAttempts());
        CompletableFuture<DeliveryOutcome> call;
        long t0 = System.nanoTime();
        BatchSpans.Attempt trace = spans.start(claimed);
        try (Scope current = trace.makeCurrent()) { // the sink injects it; the lateness histogram's exemplar
            if (claimed.lateMs() >= 0) {
                released(b, claimed.lateMs());
            }
            if (early != null) {
                call = CompletableFuture.completedFuture(null);
            } else {
                try {
                    // A sink that blocks runs on another thread: the span goes with it (not needed when off).
                    call = sink.deliverAsync(b, trace == BatchSpans.Attempt.NONE ? blocking
                            : io.opentelemetry.context.Context.taskWrapping(blocking));
                } catch (RuntimeException e) {
                    call = CompletableFuture.failedFuture(e);
                }
            }
        }
        started.set(call);
        CompletableFuture<Void> done = call
                .handle((o, e) -> early != null ? null : o != null ? o : failed(e))
                .thenAcceptAsync(o -> {
                    try (Scope current = trace.makeCurrent()) {
                        if (wasSuperseded.get()) {
                            trace.outcome("superseded", null);
                            superseded(b, "its delivery was stopped");
                        } else {
                            finish(claimed, early, o, System.nanoTime() - t0, trace);
                        }
                    }
                }, finishers)
                .handle((v, e) -> {
                    trace.end();
                    renewal.cancel(false);
                    if (e != null) {
                        log.error("Batch {} of {} was delivered but its outcome was not recorded ({}); it will be "
                                + "delivered again after its lease expires", b.batchId(), masked(b), e.toString());
                    }
                    return null;
                });
        return new InFlight(claimed, call, done, wasSuperseded);
    }

    /** The store says a batch was superseded: one this worker holds awaiting its commit is retracted at the sink. */
    void supersededAwaiting(String batchId) {
        Awaiting a = awaiting.remove(batchId);
        if (a != null) {
            superseded(a.batch(), "it was waiting for its consumer's commit");
            sink.superseded(a.batch()).exceptionally(e -> {
                log.warn("batchId={} conversation={} superseded, but the sink could not say so: {}", batchId,
                        masked(a.batch()), e.toString());
                return null;
            });
        }
    }

    /**
     * The store asks to withdraw a batch awaiting its commit in a queue: if this worker delivered it, the sink takes
     * it back when its consumer has not taken it, and the store settles it (superseded, or committed: the consumer
     * has it). A batch no worker holds any more (its worker died) settles at the commit timeout.
     */
    void withdraw(int partition, String batchId) {
        Awaiting a = awaiting.remove(batchId);
        if (a == null) {
            return;
        }
        sink.withdraw(a.batch()).thenAcceptAsync(withdrawn -> {
            LeaseOutcome o = store.settle(partition, batchId, withdrawn);
            if (o == LeaseOutcome.SUPERSEDED) {
                superseded(a.batch(), "withdrawn from its queue before a consumer took it");
            } else {
                log.info("batchId={} conversation={}: its consumer had taken it ({}); it counts as committed and the "
                        + "new message opens the next batch", batchId, masked(a.batch()), o);
            }
        }, finishers).exceptionally(e -> {
            log.warn("batchId={} conversation={} could not be withdrawn ({}); it counts as committed after "
                    + "RAPIDFIRE_COMMIT_TIMEOUT_MS={}", batchId, masked(a.batch()), e.toString(), settings.commitTimeoutMs());
            return null;
        });
    }

    /** Forgets awaiting batches whose commit timeout passed (the store has counted them as committed). */
    void forgetExpired() {
        long now = System.nanoTime();
        awaiting.values().removeIf(a -> a.untilNanos() - now < 0);
    }

    /** Not a failure: no retry, no backoff, no dead letter; the messages come again in the merged batch. */
    private void superseded(Batch b, String how) {
        superseded.incrementAndGet();
        observer.superseded(b);
        log.info("batchId={} conversation={} superseded: the person wrote again before the bot committed; {}, its "
                + "messages come again in the next batch", b.batchId(), masked(b), how);
    }

    private DeliveryOutcome failed(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CancellationException || cause instanceof InterruptedException) {
            return DeliveryOutcome.retry("cancelled", "delivery cancelled: worker " + settings.workerId() + " is stopping");
        }
        return DeliveryOutcome.retry(cause.toString());
    }

    private volatile java.util.function.Consumer<io.rapidfire.core.ConversationRef> handoverAsked;

    void onHandoverAsked(java.util.function.Consumer<io.rapidfire.core.ConversationRef> hook) {
        this.handoverAsked = hook;
    }

    /** The bot asked for a human: hand the conversation over (a failure is logged; the batch is delivered anyway). */
    private void askHandover(Batch b) {
        java.util.function.Consumer<io.rapidfire.core.ConversationRef> hook = handoverAsked;
        if (hook == null) {
            log.warn("The bot asked for a human in its answer to batch {} of {}, but this worker hands nothing over "
                    + "(embedded without HandoverControl): call Worker.handovers(...)", b.batchId(), masked(b));
            return;
        }
        try {
            hook.accept(b.conversation());
        } catch (RuntimeException e) {
            log.error("The bot asked for a human for {} (batch {}), but the handover could not be stored: {}. The bot "
                    + "may answer its next batch; start it with `rapidfire handover`", masked(b), b.batchId(),
                    e.getMessage());
        }
    }

    /** On a finisher thread: what the outcome means, recorded in the store. */
    private void finish(ClaimedBatch claimed, RetryDecision early, DeliveryOutcome o, long took,
                        BatchSpans.Attempt trace) {
        Batch b = claimed.batch();
        Lease lease = claimed.lease();
        try {
            if (early != null) {
                apply(lease, b, early, trace);
                return;
            }
            observer.attempted(b, o, took);
            if (o.handover()) {
                askHandover(b);
            }
            RetryDecision d = RetryDecision.after(o, b.attempt(), settings.maxAttempts(), stopping.getAsBoolean(), backoff);
            if (d.action() == RetryDecision.Action.ACK && claimed.supersedable()
                    && sink.commitStyle() != Sink.CommitStyle.IMMEDIATE) {
                // In a stream or queue, the consumer has not answered yet: supersedable until it commits.
                d = new RetryDecision(RetryDecision.Action.AWAIT_COMMIT, 0, d.reason());
            }
            if (d.action() == RetryDecision.Action.ACK) {
                String who = Mask.conversation(b.conversation().key());
                log.info("delivered batchId={} conversation={} messages={} reason={} attempt={} ms={}", b.batchId(), who,
                        b.size(), b.reason().wire(), b.attempt(), took / 1_000_000);
            }
            apply(lease, b, d, trace);
        } catch (StoreUnavailableException e) {
            log.error("Batch {} of {} was handled but its outcome could not be recorded: {} It will be delivered "
                    + "again after its lease ({} ms) expires, with the same batchId.", b.batchId(), masked(b),
                    e.getMessage(), settings.leaseMs());
        } catch (RuntimeException e) {
            log.error("Unexpected failure delivering batch {} of {}; it will be redelivered after its lease expires",
                    b.batchId(), masked(b), e);
        }
    }

    private void apply(Lease lease, Batch b, RetryDecision d, BatchSpans.Attempt trace) {
        if (trace == BatchSpans.Attempt.NONE) {
            record(lease, b, d); // tracing off: nothing to name or time
            return;
        }
        String op = d.action().name().toLowerCase(java.util.Locale.ROOT);
        trace.outcome(op, d.action() == RetryDecision.Action.ACK ? null : d.reason());
        io.opentelemetry.api.trace.Span recording = trace.record(op);
        try {
            record(lease, b, d);
        } catch (RuntimeException e) {
            recording.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            recording.end();
        }
    }

    private void record(Lease lease, Batch b, RetryDecision d) {
        switch (d.action()) {
            case AWAIT_COMMIT -> {
                boolean queue = sink.commitStyle() == Sink.CommitStyle.WITHDRAWABLE;
                if (sink.commitStyle() != Sink.CommitStyle.IMMEDIATE) {
                    // Before the store call: a supersede or withdraw request may follow it at once.
                    awaiting.put(b.batchId(), new Awaiting(b, lease.partition(),
                            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.commitTimeoutMs())));
                }
                LeaseOutcome o = store.awaitCommit(lease, settings.commitTimeoutMs(), queue);
                finish(lease, b, "awaitCommit", o);
                if (!o.ok()) {
                    awaiting.remove(b.batchId());
                }
                delivered.incrementAndGet();
            }
            case ACK -> {
                finish(lease, b, "ack", store.ack(lease));
                if (b.allDeleted()) {
                    log.info("batchId={} conversation={}: {}", b.batchId(), masked(b), d.reason());
                } else {
                    delivered.incrementAndGet();
                }
            }
            case RELEASE -> finish(lease, b, "release", store.retry(lease, 0, d.reason()));
            case RETRY -> {
                log.info("Batch {} of {} attempt {} failed: {}. Retrying in {} ms.", b.batchId(), masked(b),
                        b.attempt(), d.reason(), d.delayMs());
                finish(lease, b, "retry", store.retry(lease, d.delayMs(), d.reason()));
                retried.incrementAndGet();
            }
            case DEAD_LETTER -> {
                log.warn("Batch {} of {}: {} (sink {}). Dead-lettered.", b.batchId(), masked(b), d.reason(),
                        sink.describe());
                finish(lease, b, "deadLetter", store.deadLetter(lease, b, d.reason()));
                deadLettered.incrementAndGet();
                observer.deadLettered(b, d.reason().startsWith("refused") ? "refused" : "attempts exhausted");
            }
        }
    }

    private void finish(Lease lease, Batch b, String op, LeaseOutcome outcome) {
        if (outcome == LeaseOutcome.SUPERSEDED) {
            superseded(b, "the bot answered (" + op + ") after that, so the person may see this answer and then the "
                    + "whole thought's (a bot that commits before it answers never does)");
        } else if (outcome == LeaseOutcome.TAKEN_OVER) {
            log.warn("{} of batch {} ({}) refused: its lease expired and another worker took it over while this one "
                    + "was delivering. The downstream may see it twice (same Idempotency-Key). If deliveries take "
                    + "longer than RAPIDFIRE_LEASE_MS={}, raise it.", op, b.batchId(), masked(b), settings.leaseMs());
        } else if (outcome == LeaseOutcome.GONE) {
            String who = masked(b);
            log.warn("{} of batch {} ({}) found nothing to {}: it was cleared while it was delivered.", op,
                    b.batchId(), who, op);
        }
    }

    private LeaseOutcome renew(Lease lease) {
        try {
            LeaseOutcome o = store.renew(lease, settings.leaseMs());
            if (!o.ok() && o != LeaseOutcome.SUPERSEDED) {
                log.warn("Lease of batch {} ({}) could not be renewed: {}", lease.batchId(),
                        Mask.conversation(lease.conversationKey()), o);
            }
            return o;
        } catch (RuntimeException e) {
            log.warn("Lease of batch {} ({}) could not be renewed: {}", lease.batchId(),
                    Mask.conversation(lease.conversationKey()), e.getMessage());
            return null;
        }
    }

    /** The conversation as every log line shows it (core/Mask). */
    private static String masked(Batch b) {
        return Mask.conversation(b.conversation().key());
    }
}
