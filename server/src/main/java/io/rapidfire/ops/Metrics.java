package io.rapidfire.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rapidfire.core.Batch;
import io.rapidfire.core.StoreAdmin;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.worker.DeliveryObserver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every metric Rapidfire exposes on {@code /metrics} (Prometheus text), named in one place. Counters are per
 * process; the pending / in-flight / dead-letter gauges read the shared store (cached for a second so a
 * scrape storm does not become a Redis storm).
 */
public final class Metrics implements DeliveryObserver {
    private final PrometheusMeterRegistry registry;
    private final boolean exemplars;
    private final StoreAdmin store;
    private volatile StoreCounts counts = new StoreCounts(0, 0, 0);
    private volatile long countsAtNanos;
    private volatile boolean storeReachable = true;

    public Metrics(StoreAdmin store) {
        this(store, false);
    }

    /**
     * @param exemplars record the current span's trace with the histograms' observations, shown in the OpenMetrics
     *                  exposition (tracing on); off, no observation asks for a span
     */
    public Metrics(StoreAdmin store, boolean exemplars) {
        this.exemplars = exemplars;
        this.registry = exemplars ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), io.micrometer.core.instrument.Clock.SYSTEM,
                new SpanExemplars()) : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.store = store;
        Gauge.builder("rapidfire_pending_batches", () -> counts().pending())
                .description("Open batches waiting for their deadline").register(registry);
        Gauge.builder("rapidfire_inflight_batches", () -> counts().inflight())
                .description("Batches handed to a worker or waiting for a retry").register(registry);
        Gauge.builder("rapidfire_dead_letters", () -> counts().deadLetters())
                .description("Batches given up on").register(registry);
        Gauge.builder("rapidfire_store_up", () -> storeReachable ? 1 : 0)
                .description("1 when the last store read worked").register(registry);
    }

    /** Rate-limiter buckets forgotten to keep its memory bounded (a flood of distinct senders shows here). */
    public void limiterEvictions(String limiter, java.util.function.Supplier<Number> evictions) {
        io.micrometer.core.instrument.FunctionCounter.builder("rapidfire_rate_limiter_evictions", evictions,
                        e -> e.get().doubleValue())
                .description("Rate-limiter entries forgotten (least recently used first) to bound memory")
                .tag("limiter", limiter).register(registry);
    }

    /** HTTP connections open now (RAPIDFIRE_MAX_CONNECTIONS caps it: a flood shows here at the cap). */
    public void httpConnections(java.util.function.Supplier<Number> open) {
        io.micrometer.core.instrument.Gauge.builder("rapidfire_http_connections", open, o -> o.get().doubleValue())
                .description("HTTP connections open now (at most RAPIDFIRE_MAX_CONNECTIONS)").register(registry);
    }

    private StoreCounts counts() {
        long now = System.nanoTime();
        if (now - countsAtNanos > 1_000_000_000L) {
            try {
                counts = store.counts();
                storeReachable = true;
            } catch (RuntimeException e) {
                storeReachable = false;
            }
            countsAtNanos = now;
        }
        return counts;
    }

    /** The webhook path asks for the same few counters on every request: build each one once. */
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    private Counter counter(String name, String description, String tag, String value, String tag2, String value2) {
        return counters.computeIfAbsent(name + '|' + value + '|' + value2, k -> {
            Counter.Builder b = Counter.builder(name).description(description).tag(tag, value);
            return (tag2 == null ? b : b.tag(tag2, value2)).register(registry);
        });
    }

    public void received(String channel, String format, int n) {
        if (n > 0) {
            counter("rapidfire_messages_received", "Messages stored", "channel", channel, "format", format).increment(n);
        }
    }

    public void duplicates(String channel, int n) {
        if (n > 0) {
            counter("rapidfire_messages_duplicate", "Messages dropped as platform retries", "channel", channel, null,
                    null).increment(n);
        }
    }

    /** Presence events: recorded in a conversation's pace, or ignored (typing-aware release off for the tenant). */
    public void presence(int received, int recorded) {
        if (recorded > 0) {
            counter("rapidfire_presence_events", "Typing (presence) events received", "outcome", "recorded", null,
                    null).increment(recorded);
        }
        if (received > recorded) {
            counter("rapidfire_presence_events", "Typing (presence) events received", "outcome", "ignored",
                    null, null).increment(received - recorded);
        }
    }

    public void ignored(String channel, int n) {
        if (n > 0) {
            counter("rapidfire_messages_ignored", "Items accepted but not batched (statuses, groups, own messages)",
                    "channel", channel, null, null).increment(n);
        }
    }

    /** reason: bad_request, signature, rate_limited, too_large, unauthorized, or a StoreFault reason (unavailable, store_timeout, store_full, ...). */
    public void rejected(String reason) {
        counter("rapidfire_requests_rejected", "Webhook requests refused, by reason", "reason", reason, null, null)
                .increment();
    }

    @Override
    public void released(Batch batch, long lateMs) {
        Counter.builder("rapidfire_batches_released").description("Batches released, by rule")
                .tag("reason", batch.reason().wire()).register(registry).increment();
        DistributionSummary.builder("rapidfire_batch_size").description("Messages per released batch")
                .serviceLevelObjectives(1, 2, 3, 5, 10, 20, 50, 100).register(registry).record(batch.size());
        Timer.builder("rapidfire_release_lateness").description("Claim time minus deadline (store clock)")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry).record(Math.max(0, lateMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void attempted(Batch batch, DeliveryOutcome outcome, long nanos) {
        Timer.builder("rapidfire_delivery").description("Delivery attempts, by outcome")
                .tag("outcome", outcome.kind().name().toLowerCase())
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        boolean acked = outcome.kind() == DeliveryOutcome.Kind.ACK || outcome.kind() == DeliveryOutcome.Kind.ACK_LATER;
        if (acked) {
            // What the person feels: from their last message to the bot having the batch (store clock of the last
            // message against this process's clock; the doctor's clock check keeps the two within 250 ms).
            Timer.builder("rapidfire_added_delay").description("Last message of a batch to its delivery")
                    .serviceLevelObjectives(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60))
                    .register(registry).record(Math.max(0, System.currentTimeMillis() - batch.lastMessageAtMs()),
                            TimeUnit.MILLISECONDS);
        }
        if (!acked) {
            Counter.builder("rapidfire_delivery_failures").description("Failed delivery attempts, by outcome and cause")
                    .tag("outcome", outcome.kind().name().toLowerCase()).tag("cause", outcome.cause())
                    .register(registry).increment();
        }
    }

    @Override
    public void deadLettered(Batch batch, String reason) {
        Counter.builder("rapidfire_batches_dead_lettered").description("Batches given up on by this process")
                .tag("reason", reason).register(registry).increment();
    }

    /** One answer per thought: a delivery stopped, or an answer dropped, because the person wrote again. */
    @Override
    public void superseded(Batch batch) {
        counter("rapidfire_batches_superseded", "Batches superseded while with the bot (wasted generations)", "channel",
                batch.conversation().channel(), null, null).increment();
    }

    /**
     * A bot's commit, by outcome (committed, superseded, unknown, too_early); {@code waited}: it was held while the
     * person typed (or before the commit floor).
     */
    public void commit(String outcome, boolean waited) {
        counter("rapidfire_commits", "Bots' commits (POST /v1/batches/{id}/commit), by outcome", "outcome", outcome,
                "waited", waited ? "yes" : "no").increment();
    }

    /** The Prometheus text format (promtool-clean, no exemplars). */
    public String scrape() {
        return registry.scrape();
    }

    /** Whether observations carry the current trace (tracing on). */
    public boolean exemplars() {
        return exemplars;
    }

    /** The exposition a scraper asked for: OpenMetrics (with exemplars) when its Accept header names it. */
    public String scrape(String contentType) {
        return registry.scrape(contentType);
    }
}
