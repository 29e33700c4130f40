package io.rapidfire.worker;

import io.rapidfire.core.HandoverControl;

import io.rapidfire.core.BatchQueue;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.delivery.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims due batches and delivers them: the lifecycle (start, graceful stop) around three small parts.
 * {@link Scheduler} decides when to claim which partition (sleeps until the earliest deadline, woken early by
 * the store); {@link Deliverer} delivers one batch under a renewed lease; {@link RetryDecision} says what a
 * delivery's outcome means (ack, retry with {@link Backoff}, release, dead letter). A worker that dies holds its
 * lease until it expires; then any worker claims the same batch (same id, attempt + 1).
 *
 * <p><b>In flight.</b> Up to {@code concurrency} batches are delivered at once (default 256), one per
 * conversation (the store never hands out a conversation's next batch while one is in flight). A sink that waits
 * on the network holds no thread while the bot thinks, so a bot that answers in seconds does not hold back the
 * release of everyone else's batch; the outcome is recorded by a few finisher threads.
 *
 * <p><b>Shutdown.</b> Stop claiming, let deliveries finish for the grace period, then cancel the rest; a
 * cancelled delivery is released for immediate retry by another worker.
 *
 * <p>It needs only the hot path of a store ({@link BatchQueue}). The doctor's probe is kept from the bot by
 * wrapping the sink in a {@code ProbeSink}, as the server does.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    static final int FINISHER_THREADS = 4;
    /**
     * Claims of different partitions run side by side, this many at once: one at a time, a claim's round trip
     * (tens of ms on a busy two-core machine) bounded the claims per second and batches were claimed seconds late
     * under load (bench paced 10k over HTTP). Each claim reserves its in-flight permits first, so claims together
     * never take more batches than there are delivery slots.
     */
    static final int CLAIMS_IN_FLIGHT = 4;

    private final BatchQueue store;
    private final Sink sink;
    private final WorkerSettings settings;
    private final Scheduler scheduler;
    private final Deliverer deliverer;
    private final Semaphore permits;
    private final ExecutorService finishers;
    private final ThreadPoolExecutor blocking;
    private final ScheduledExecutorService renewals;
    private final Map<String, Deliverer.InFlight> active = new ConcurrentHashMap<>();
    private final Semaphore claimSlots = new Semaphore(CLAIMS_IN_FLIGHT);
    private final ExecutorService claimers = Executors.newFixedThreadPool(CLAIMS_IN_FLIGHT, named("rapidfire-claim"));
    private volatile boolean running;
    private long storeDownSinceNanos; // guarded by this
    private long lastOutageLogNanos; // guarded by this
    private Thread loop;
    private AutoCloseable wakeSubscription;
    private volatile HandoverControl handovers;
    private ScheduledExecutorService announcer;

    public Worker(BatchQueue store, Sink sink, WorkerSettings settings) {
        this(store, sink, settings, DeliveryObserver.NONE);
    }

    public Worker(BatchQueue store, Sink sink, WorkerSettings settings, DeliveryObserver observer) {
        this.store = store;
        this.sink = sink;
        this.settings = settings;
        this.scheduler = new Scheduler(store.partitions(), settings.safetyPollMs());
        this.permits = new Semaphore(settings.concurrency());
        // Recording outcomes is a store call of well under a millisecond: a few threads serve hundreds in flight.
        this.finishers = Executors.newFixedThreadPool(Math.min(settings.concurrency(), FINISHER_THREADS),
                named("rapidfire-delivery"));
        // Only sinks that block (no deliverAsync of their own) use these: a thread per delivery, as many as the
        // in-flight limit, gone after a minute idle.
        this.blocking = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("rapidfire-sink"));
        this.blocking.allowCoreThreadTimeOut(true);
        this.renewals = Executors.newSingleThreadScheduledExecutor(named("rapidfire-lease-renewal"));
        this.deliverer = new Deliverer(store, sink, settings, observer, renewals, finishers, blocking, () -> !running);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Hands conversations over when the bot asks ({@link DeliveryOutcome#handover()}), for {@code handoverMs}, and
     * announces the handovers whose time ran out, about once a second. Call before {@link #start()}.
     */
    public Worker handovers(HandoverControl control, long handoverMs) {
        this.handovers = control;
        deliverer.onHandoverAsked(c -> control.start(c, handoverMs, io.rapidfire.core.HandoverBy.BOT));
        return this;
    }

    /** Traces every delivery (io.rapidfire.trace); call before {@link #start()}. Without it: no spans. */
    public Worker tracing(io.rapidfire.trace.Tracing tracing) {
        deliverer.tracing(tracing);
        return this;
    }

    private void announceExpiredHandovers() {
        try {
            handovers.announceExpired();
        } catch (RuntimeException e) {
            log.warn("Expired handovers not announced this round ({}); trying again in a second", e.getMessage());
        }
    }

    public synchronized Worker start() {
        if (running) {
            return this;
        }
        running = true;
        if (handovers != null) {
            // A thread of its own: a slow round (a slow store, many expiries) must not delay lease renewals.
            announcer = Executors.newSingleThreadScheduledExecutor(named("rapidfire-handover-expiry"));
            announcer.scheduleWithFixedDelay(this::announceExpiredHandovers, 1, 1, TimeUnit.SECONDS);
        }
        wakeSubscription = store.onWake(new BatchQueue.WakeListener() {
            @Override
            public void wake(int partition, long dueAtMs) {
                scheduler.wake(partition, dueAtMs);
            }

            @Override
            public void superseded(int partition, String batchId) {
                Deliverer.InFlight f = active.get(batchId);
                if (f != null) {
                    Deliverer.supersede(f);
                } else {
                    deliverer.supersededAwaiting(batchId);
                }
            }

            @Override
            public void withdraw(int partition, String batchId) {
                deliverer.withdraw(partition, batchId);
            }
        });
        renewals.scheduleAtFixedRate(deliverer::forgetExpired, 10, 10, TimeUnit.SECONDS);
        loop = new Thread(this::loop, "rapidfire-worker-" + settings.workerId());
        loop.start();
        log.info("Worker {} started: store {}, sink {}, {} partitions, concurrency {}, lease {} ms, max attempts {}",
                settings.workerId(), store.describe(), sink.describe(), store.partitions(), settings.concurrency(),
                settings.leaseMs(), settings.maxAttempts());
        return this;
    }

    private void loop() {
        while (running) {
            int partition;
            try {
                partition = scheduler.awaitDue(() -> permits.availablePermits() > 0 && claimSlots.availablePermits() > 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (partition >= 0 && running) {
                int reserved = reservePermits();
                if (reserved == 0 || !claimSlots.tryAcquire()) {
                    permits.release(reserved);
                    scheduler.retryNow(partition);
                    continue;
                }
                try {
                    claimers.execute(() -> {
                        try {
                            claim(partition, reserved);
                        } finally {
                            claimSlots.release();
                            scheduler.nudge();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    claimSlots.release();
                    permits.release(reserved);
                }
            }
        }
    }

    /** Takes up to a fair share of the free delivery slots for one claim (at least one when any is free). */
    private int reservePermits() {
        int cap = Math.max(1, settings.concurrency() / CLAIMS_IN_FLIGHT);
        int n = 0;
        while (n < cap && permits.tryAcquire()) {
            n++;
        }
        return n;
    }

    /** On a claim thread: claims up to {@code reserved} batches (their permits already taken) and starts them. */
    private void claim(int partition, int reserved) {
        int started = 0;
        try {
            ClaimResult r = store.claim(partition, reserved, settings.leaseMs(), settings.workerId());
            for (ClaimedBatch b : r.batches()) {
                started++;
                Deliverer.InFlight f = deliverer.start(b);
                String id = b.batch().batchId();
                active.put(id, f);
                // Registered after the put: a delivery that already ended runs this now, in order.
                f.done().whenComplete((v, e) -> {
                    active.remove(id, f);
                    permits.release();
                    scheduler.nudge();
                });
            }
            scheduler.claimed(partition, r, r.batches().size() >= reserved);
            storeReachable();
        } catch (StoreUnavailableException e) {
            storeUnreachable(partition, e);
            scheduler.failed(partition);
        } catch (RuntimeException e) {
            log.error("Worker {} failed to claim partition {}; retrying in {} ms", settings.workerId(), partition,
                    settings.safetyPollMs(), e);
            scheduler.failed(partition);
        } finally {
            permits.release(reserved - started);
        }
    }

    private synchronized void storeReachable() {
        if (storeDownSinceNanos != 0) {
            log.info("Worker {} reaches the store again after {} ms", settings.workerId(),
                    (System.nanoTime() - storeDownSinceNanos) / 1_000_000);
            storeDownSinceNanos = 0;
        }
    }

    private synchronized void storeUnreachable(int partition, StoreUnavailableException e) {
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
    }

    public long delivered() {
        return deliverer.delivered.get();
    }

    public long retried() {
        return deliverer.retried.get();
    }

    public long deadLettered() {
        return deliverer.deadLettered.get();
    }

    /** Deliveries stopped (or answers dropped) because the person wrote again: wasted generations. */
    public long superseded() {
        return deliverer.superseded.get();
    }

    public int inFlight() {
        return active.size();
    }

    public String id() {
        return settings.workerId();
    }

    /**
     * Graceful stop: no new claims; in-flight deliveries get the grace period; then the rest are cancelled and
     * released for immediate retry by another worker (no backoff).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        scheduler.nudge();
        try {
            loop.join(5_000);
            claimers.shutdown();
            claimers.awaitTermination(5, TimeUnit.SECONDS); // claims under way start their deliveries first
            if (wakeSubscription != null) {
                wakeSubscription.close();
            }
            if (!awaitInFlight(settings.shutdownGraceMs())) {
                log.warn("Worker {}: {} deliveries still running after {} ms; cancelling and releasing them",
                        settings.workerId(), active.size(), settings.shutdownGraceMs());
                active.values().forEach(f -> f.call().cancel(true));
                blocking.shutdownNow(); // a blocking sink is interrupted
                awaitInFlight(5_000);
            }
        } catch (Exception e) {
            log.warn("Worker {} did not stop cleanly: {}", settings.workerId(), e.toString());
        } finally {
            for (Deliverer.InFlight f : active.values()) {
                try {
                    store.retry(f.claimed().lease(), 0, "released at shutdown of worker " + settings.workerId());
                } catch (RuntimeException e) {
                    log.warn("Could not release batch {}; it returns when its lease expires",
                            f.claimed().batch().batchId());
                }
            }
            blocking.shutdownNow();
            claimers.shutdownNow();
            finishers.shutdown();
            renewals.shutdownNow();
            if (announcer != null) {
                announcer.shutdownNow();
            }
        }
        log.info("Worker {} stopped: {} delivered, {} retried, {} dead-lettered", settings.workerId(),
                delivered(), retried(), deadLettered());
    }

    private boolean awaitInFlight(long ms) throws InterruptedException {
        CompletableFuture<?>[] all = active.values().stream().map(Deliverer.InFlight::done)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // done never fails; nothing to wait for
        }
    }
}
