package io.rapidfire.worker;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Probe;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.Sink;
import io.rapidfire.core.Mask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Claims due batches and delivers them.
 *
 * <p><b>Scheduling.</b> For every partition the worker knows when the next deadline is (every claim returns
 * it, in the store's clock, together with the store's "now", so only durations cross between clocks). It
 * sleeps until the earliest one, and is woken early when the store announces an earlier deadline (an append
 * that made a batch due sooner, a retry). No polling every second: a batch is claimed within milliseconds of
 * its deadline. A slow safety poll per partition covers a missed announcement.
 *
 * <p><b>Delivery lifecycle.</b> A claimed batch holds a lease, renewed every third of its length while the
 * sink works. The sink's answer decides: ACK → acknowledged, the conversation's next batch may go;
 * REJECT → dead letter at once; RETRY → the same batch again after an exponential backoff with jitter
 * ({@link Backoff}), until {@code maxAttempts} deliveries failed → dead letter. A worker that dies holds its
 * lease until it expires; then any worker claims the same batch (same id, attempt + 1). A batch whose
 * attempts were all used up by expiring leases (a batch that crashes workers) is dead-lettered, not
 * delivered again.
 *
 * <p><b>Shutdown.</b> Stop claiming, let deliveries finish for the grace period, then interrupt the rest;
 * an interrupted delivery is released for immediate retry by another worker.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final BatchStore store;
    private final Sink sink;
    private final WorkerSettings settings;
    private final Backoff backoff;
    private final DeliveryObserver observer;
    private final long[] wakeAtNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Semaphore permits;
    private final ExecutorService deliveries;
    private final ScheduledExecutorService renewals;
    private final Map<String, ClaimedBatch> active = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile long anchorStoreMs = -1;
    private volatile long anchorNanos;
    private volatile boolean running;
    private long storeDownSinceNanos; // scheduler thread only
    private long lastOutageLogNanos;
    private Thread scheduler;
    private AutoCloseable wakeSubscription;

    public Worker(BatchStore store, Sink sink, WorkerSettings settings) {
        this(store, sink, settings, DeliveryObserver.NONE);
    }

    public Worker(BatchStore store, Sink sink, WorkerSettings settings, DeliveryObserver observer) {
        this.observer = observer;
        this.store = store;
        this.sink = sink;
        this.settings = settings;
        this.backoff = new Backoff(settings.retryBaseMs(), settings.retryMaxMs());
        this.wakeAtNanos = new long[store.partitions()];
        this.permits = new Semaphore(settings.concurrency());
        this.deliveries = Executors.newFixedThreadPool(settings.concurrency(), named("rapidfire-delivery"));
        this.renewals = Executors.newSingleThreadScheduledExecutor(named("rapidfire-lease-renewal"));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public synchronized Worker start() {
        if (running) {
            return this;
        }
        running = true;
        Arrays.fill(wakeAtNanos, System.nanoTime());
        wakeSubscription = store.onWake(this::onWake);
        scheduler = new Thread(this::loop, "rapidfire-worker-" + settings.workerId());
        scheduler.start();
        log.info("Worker {} started: store {}, sink {}, {} partitions, concurrency {}, lease {} ms, max attempts {}",
                settings.workerId(), store.describe(), sink.describe(), store.partitions(), settings.concurrency(),
                settings.leaseMs(), settings.maxAttempts());
        return this;
    }

    private long toLocalNanos(long storeMs) {
        if (anchorStoreMs < 0) {
            return System.nanoTime();
        }
        return anchorNanos + (storeMs - anchorStoreMs) * 1_000_000;
    }

    private void onWake(int partition, long dueAtMs) {
        if (partition < 0 || partition >= wakeAtNanos.length) {
            return;
        }
        long at = toLocalNanos(dueAtMs);
        lock.lock();
        try {
            if (at < wakeAtNanos[partition]) {
                wakeAtNanos[partition] = at;
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long safetyNanos = settings.safetyPollMs() * 1_000_000;
        while (running) {
            int partition = -1;
            lock.lock();
            try {
                long now = System.nanoTime();
                int min = 0;
                for (int p = 1; p < wakeAtNanos.length; p++) {
                    if (wakeAtNanos[p] < wakeAtNanos[min]) {
                        min = p;
                    }
                }
                if (permits.availablePermits() == 0) {
                    changed.awaitNanos(safetyNanos);
                } else if (wakeAtNanos[min] <= now) {
                    partition = min;
                    wakeAtNanos[min] = Long.MAX_VALUE; // a wake-up during the claim lowers it again
                } else {
                    changed.awaitNanos(wakeAtNanos[min] - now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (partition >= 0) {
                claim(partition, safetyNanos);
            }
        }
    }

    private void claim(int partition, long safetyNanos) {
        int max = permits.availablePermits();
        long next;
        try {
            ClaimResult r = store.claim(partition, max, settings.leaseMs(), settings.workerId());
            long now = System.nanoTime();
            anchorStoreMs = r.storeNowMs();
            anchorNanos = now;
            for (ClaimedBatch b : r.batches()) {
                if (b.lateMs() >= 0) {
                    observer.released(b.batch(), b.lateMs());
                }
                permits.acquireUninterruptibly();
                active.put(b.batch().batchId(), b);
                deliveries.execute(() -> deliver(b));
            }
            if (r.batches().size() >= max) {
                next = now; // there may be more due right now
            } else if (r.nextDueAtMs() < 0) {
                next = now + safetyNanos;
            } else {
                next = Math.min(toLocalNanos(r.nextDueAtMs()), now + safetyNanos);
            }
            if (storeDownSinceNanos != 0) {
                log.info("Worker {} reaches the store again after {} ms", settings.workerId(),
                        (now - storeDownSinceNanos) / 1_000_000);
                storeDownSinceNanos = 0;
            }
        } catch (StoreUnavailableException e) {
            // One line per outage (and a reminder every 30 s), not one per partition per poll.
            long now = System.nanoTime();
            if (storeDownSinceNanos == 0 || now - lastOutageLogNanos > 30_000_000_000L) {
                log.error("Worker {} cannot claim (partition {}): {} Retrying every {} ms; nothing is lost, "
                        + "batches wait in the store.", settings.workerId(), partition, e.getMessage(),
                        settings.safetyPollMs());
                lastOutageLogNanos = now;
            }
            if (storeDownSinceNanos == 0) {
                storeDownSinceNanos = now;
            }
            next = now + safetyNanos;
        } catch (RuntimeException e) {
            log.error("Worker {} failed to claim partition {}; retrying in {} ms", settings.workerId(), partition,
                    settings.safetyPollMs(), e);
            next = System.nanoTime() + safetyNanos;
        }
        lock.lock();
        try {
            wakeAtNanos[partition] = Math.min(wakeAtNanos[partition], next);
        } finally {
            lock.unlock();
        }
    }

    private void deliver(ClaimedBatch claimed) {
        Batch b = claimed.batch();
        Lease lease = claimed.lease();
        long every = Math.max(100, settings.leaseMs() / 3);
        ScheduledFuture<?> renewal = renewals.scheduleAtFixedRate(() -> renew(lease), every, every, TimeUnit.MILLISECONDS);
        try {
            if (b.attempt() > settings.maxAttempts()) {
                String why = "gave up after " + settings.maxAttempts()
                        + " attempts (the last leases expired: a worker died or hung while delivering it)";
                finish(lease, b, "deadLetter", store.deadLetter(lease, b, why));
                deadLettered.incrementAndGet();
                observer.deadLettered(b, why);
                return;
            }
            if (Probe.is(b)) {
                // The doctor's probe proves claim and ack work end to end; the bot never sees it.
                finish(lease, b, "ack", store.ack(lease));
                for (var m : b.messages()) {
                    store.markOnce(Probe.ackMark(m.id()), Probe.MARK_TTL_MS);
                }
                return;
            }
            DeliveryOutcome o;
            long t0 = System.nanoTime();
            try {
                o = sink.deliver(b);
            } catch (InterruptedException e) {
                o = DeliveryOutcome.retry("delivery interrupted: worker " + settings.workerId() + " is stopping");
            } catch (Exception e) {
                o = DeliveryOutcome.retry(e.toString());
            }
            renewal.cancel(false);
            long took = System.nanoTime() - t0;
            observer.attempted(b, o, took);
            switch (o.kind()) {
                case ACK -> {
                    finish(lease, b, "ack", store.ack(lease));
                    delivered.incrementAndGet();
                    log.info("delivered batchId={} conversation={} messages={} reason={} attempt={} ms={}",
                            b.batchId(), Mask.conversation(b.conversation().key()), b.size(), b.reason().wire(),
                            b.attempt(), took / 1_000_000);
                }
                case REJECT -> {
                    log.warn("Batch {} of {} refused by {}: {}. Dead-lettered.", b.batchId(), b.conversation(),
                            sink.describe(), o.detail());
                    finish(lease, b, "deadLetter", store.deadLetter(lease, b, "refused: " + o.detail()));
                    deadLettered.incrementAndGet();
                    observer.deadLettered(b, "refused");
                }
                case RETRY -> retryOrGiveUp(lease, b, o);
            }
        } catch (StoreUnavailableException e) {
            log.error("Batch {} of {} was handled but its outcome could not be recorded: {} It will be delivered "
                    + "again after its lease ({} ms) expires, with the same batchId.", b.batchId(), b.conversation(),
                    e.getMessage(), settings.leaseMs());
        } catch (RuntimeException e) {
            log.error("Unexpected failure delivering batch {} of {}; it will be redelivered after its lease expires",
                    b.batchId(), b.conversation(), e);
        } finally {
            renewal.cancel(false);
            active.remove(b.batchId());
            permits.release();
            lock.lock();
            try {
                changed.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private void retryOrGiveUp(Lease lease, Batch b, DeliveryOutcome o) {
        if (!running) {
            finish(lease, b, "release", store.retry(lease, 0, "released at shutdown: " + o.detail()));
            return;
        }
        if (b.attempt() >= settings.maxAttempts()) {
            log.warn("Batch {} of {} failed {} attempts, last: {}. Dead-lettered.", b.batchId(), b.conversation(),
                    b.attempt(), o.detail());
            finish(lease, b, "deadLetter", store.deadLetter(lease, b,
                    "failed " + b.attempt() + " attempts; last: " + o.detail()));
            deadLettered.incrementAndGet();
            observer.deadLettered(b, "attempts exhausted");
            return;
        }
        long delay = backoff.delayMs(b.attempt(), o.retryAfterMs());
        log.info("Batch {} of {} attempt {} failed: {}. Retrying in {} ms.", b.batchId(), b.conversation(),
                b.attempt(), o.detail(), delay);
        finish(lease, b, "retry", store.retry(lease, delay, o.detail()));
        retried.incrementAndGet();
    }

    private void finish(Lease lease, Batch b, String op, LeaseOutcome outcome) {
        if (outcome == LeaseOutcome.TAKEN_OVER) {
            log.warn("{} of batch {} ({}) refused: its lease expired and another worker took it over while this one "
                    + "was delivering. The downstream may see it twice (same Idempotency-Key). If deliveries take "
                    + "longer than RAPIDFIRE_LEASE_MS={}, raise it.", op, b.batchId(), lease.conversationKey(),
                    settings.leaseMs());
        } else if (outcome == LeaseOutcome.GONE) {
            log.warn("{} of batch {} ({}) found nothing to {}: the conversation was cleared while it was delivered.",
                    op, b.batchId(), lease.conversationKey(), op);
        }
    }

    private void renew(Lease lease) {
        try {
            LeaseOutcome o = store.renew(lease, settings.leaseMs());
            if (!o.ok()) {
                log.warn("Lease of batch {} ({}) could not be renewed: {}", lease.batchId(), lease.conversationKey(), o);
            }
        } catch (RuntimeException e) {
            log.warn("Lease of batch {} ({}) could not be renewed: {}", lease.batchId(), lease.conversationKey(),
                    e.getMessage());
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long retried() {
        return retried.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public int inFlight() {
        return active.size();
    }

    public String id() {
        return settings.workerId();
    }

    /** Graceful stop: no new claims; in-flight deliveries get the grace period, then are released. */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            scheduler.join(5_000);
            if (wakeSubscription != null) {
                wakeSubscription.close();
            }
            deliveries.shutdown();
            if (!deliveries.awaitTermination(settings.shutdownGraceMs(), TimeUnit.MILLISECONDS)) {
                log.warn("Worker {}: {} deliveries still running after {} ms; interrupting and releasing them",
                        settings.workerId(), active.size(), settings.shutdownGraceMs());
                deliveries.shutdownNow();
                deliveries.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("Worker {} did not stop cleanly: {}", settings.workerId(), e.toString());
        } finally {
            for (ClaimedBatch b : active.values()) {
                try {
                    store.retry(b.lease(), 0, "released at shutdown of worker " + settings.workerId());
                } catch (RuntimeException e) {
                    log.warn("Could not release batch {}; it returns when its lease expires", b.batch().batchId());
                }
            }
            renewals.shutdownNow();
        }
        log.info("Worker {} stopped: {} delivered, {} retried, {} dead-lettered", settings.workerId(),
                delivered.get(), retried.get(), deadLettered.get());
    }
}
