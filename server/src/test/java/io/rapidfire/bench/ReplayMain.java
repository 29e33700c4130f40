package io.rapidfire.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.ingest.WebhookServer;
import io.rapidfire.ops.MemoryRegistry;
import io.rapidfire.ops.Metrics;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bench/replay: one generated typing trace ({@link TypingTrace}) replayed through the real engine (a real
 * redis-server, the Redis store, the HTTP webhook path with Baileys payloads, a real worker and HTTP sink) once per
 * release policy, all at the same time, each policy as its own tenant. Time is compressed by the same factor for
 * every policy (all policy durations and all trace times are divided by it; results are scaled back).
 *
 * <p>Per policy: the delay a person feels (batch delivered minus their burst's last message reaching the webhook),
 * split bursts (delivered in more than one batch), merged bursts (sharing a batch with another burst), batches per
 * burst. Writes bench/results/replay.json and replay.svg and prints the README's table.
 */
public final class ReplayMain {
    private final TypingTrace trace;
    private final double compress;
    private final Map<String, Policy> policies = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(12);
    /** tenant -> message id -> when it reached the webhook. */
    private final Map<String, Map<String, Long>> arrived = new ConcurrentHashMap<>();
    /** tenant:conversation:message id of a burst's last message -> what to do once it is delivered. */
    private final Map<String, Runnable> onDelivered = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private String base;

    ReplayMain(TypingTrace trace, double compress) {
        this.trace = trace;
        this.compress = compress;
        Policy fixed = new Policy(5_000, 60_000, 50, 16_384, " ").withTyping(false, 1_000, 10_000);
        policies.put("fixed-9s", fixed.withQuietMs(9_000));
        policies.put("fixed-5s", fixed);
        policies.put("fixed-2s", fixed.withQuietMs(2_000));
        policies.put("fixed-1s", fixed.withQuietMs(1_000));
        policies.put("adaptive", fixed.withAdaptive(true, 1_000));
        policies.put("typing", fixed.withTyping(true, 1_000, 10_000));
        // The same rule with a longer grace: the other end of its one trade-off (delay against split bursts).
        policies.put("typing-grace-2s", fixed.withTyping(true, 2_000, 10_000));
        policies.put("typing-grace-3s", fixed.withTyping(true, 3_000, 10_000));
        policies.put("typing-adaptive", fixed.withTyping(true, 1_000, 10_000).withAdaptive(true, 1_000));
    }

    /** A policy with every duration divided by the compression factor. */
    private Policy compressed(Policy p) {
        return new Policy(c(p.quietMs()), c(p.maxWaitMs()), p.maxMessages(), p.maxBytes(), p.joiner(), p.typing(),
                c(p.typingGraceMs()), Math.max(1_000, c(p.typingTimeoutMs())), p.adaptive(), c(p.adaptiveFloorMs()),
                p.flushKeywords(), p.firstMessageAtOnce());
    }

    private long c(long ms) {
        return Math.round(ms / compress);
    }

    public static void main(String[] args) throws Exception {
        int people = 150;
        int bursts = 3;
        long seed = 42;
        double compress = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--people" -> people = Integer.parseInt(args[++i]);
                case "--bursts" -> bursts = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--compress" -> compress = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("bench/replay [--people N] [--bursts N] [--seed N] "
                        + "[--compress F] (got " + args[i] + ")");
            }
        }
        TypingTrace trace = TypingTrace.generate(TypingTrace.Params.defaults(seed, people, bursts));
        System.out.println(trace.describe());
        new ReplayMain(trace, compress).run();
    }

    void run() throws Exception {
        Map<String, Policy> tenants = new HashMap<>();
        policies.forEach((k, v) -> tenants.put(k, compressed(v)));
        BenchSink sink = new BenchSink(d -> {
            for (String id : d.messageIds()) {
                Runnable r = onDelivered.remove(d.tenant() + ":" + d.conversation() + ":" + id);
                if (r != null) {
                    r.run();
                }
            }
        });
        try (RedisServer redis = RedisServer.start();
             RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:replay")
                     .timeout(Duration.ofSeconds(5)).namespace("replay").partitions(16).dedupWindow(Duration.ofHours(1))
                     .build()) {
            Metrics metrics = new Metrics(store);
            IngestSettings settings = IngestSettings.defaults().withLimits(1_048_576, 1_000_000, 1_000_000, 1_000_000,
                    1_000_000);
            WebhookServer server = new WebhookServer(store, () -> new Policies(tenants.get("fixed-5s"), tenants),
                    settings, metrics, new MemoryRegistry()).start("127.0.0.1", 0);
            Worker worker = new Worker(store, new HttpSink(URI.create(sink.url()), "", Duration.ofSeconds(2),
                    Duration.ofSeconds(10)), WorkerSettings.builder("replay").concurrency(32).lease(Duration.ofSeconds(30))
                    .maxAttempts(8).retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .safetyPoll(Duration.ofSeconds(1)).shutdownGrace(Duration.ofSeconds(2)).build(), metrics).start();
            base = "http://127.0.0.1:" + server.port() + "/webhook/whatsapp/batched?tenant=";
            long started = System.currentTimeMillis();
            CountDownLatch done = new CountDownLatch(policies.size() * trace.people().size());
            long t0 = System.currentTimeMillis() + 500;
            for (String tenant : policies.keySet()) {
                arrived.put(tenant, new ConcurrentHashMap<>());
                for (TypingTrace.Person p : trace.people()) {
                    burst(tenant, p, 0, t0 + c(p.startMs()), done);
                }
            }
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the replay did not finish within 30 minutes");
            }
            // A batch is acknowledged only after the sink has it: with nothing pending or in flight, all arrived.
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.counts().pending() == 0 && store.counts().inflight() == 0);
            long wall = System.currentTimeMillis() - started;
            worker.close();
            server.close();
            report(sink.drain(), wall);
        } finally {
            sink.close();
            timer.shutdownNow();
        }
    }

    /** Schedules burst {@code k} of person {@code p} from {@code startAt}; the next burst follows it. */
    private void burst(String tenant, TypingTrace.Person p, int k, long startAt, CountDownLatch done) {
        if (k >= p.bursts().size()) {
            done.countDown();
            return;
        }
        TypingTrace.Burst b = p.bursts().get(k);
        String jid = jid(p);
        long cursor = startAt;
        long lastSent = startAt;
        for (int i = 0; i < b.messages().size(); i++) {
            TypingTrace.Msg m = b.messages().get(i);
            cursor += c(m.thinkMs());
            String id = "p" + p.id() + "b" + k + "m" + i;
            for (TypingTrace.Event e : m.events()) {
                long at = cursor + c(e.atMs()) + c(e.delayMs());
                String body = switch (e.kind()) {
                    case MESSAGE -> message(jid, id, m.chars());
                    case COMPOSING -> presence(jid, "composing");
                    case PAUSED -> presence(jid, "paused");
                };
                boolean isMessage = e.kind() == TypingTrace.Kind.MESSAGE;
                timer.schedule(() -> post(tenant, body, isMessage ? id : null), Math.max(0, at - System.currentTimeMillis()),
                        TimeUnit.MILLISECONDS);
                if (isMessage) {
                    lastSent = Math.max(lastSent, at);
                }
            }
            cursor += c(m.sentAtMs());
        }
        String lastId = "p" + p.id() + "b" + k + "m" + (b.messages().size() - 1);
        if (b.waitsForAnswer()) {
            // The person reads the bot's answer, then writes again; if the answer never comes (a lost message
            // would show in the report), they give up waiting after max wait plus a minute.
            String key = tenant + ":" + "+" + jid.substring(0, jid.indexOf('@')) + ":" + lastId;
            onDelivered.put(key, () -> burst(tenant, p, k + 1, System.currentTimeMillis() + c(b.pauseBeforeMs()), done));
            long giveUp = lastSent + c(policies.get(tenant).maxWaitMs() + 60_000);
            timer.schedule(() -> {
                Runnable r = onDelivered.remove(key);
                if (r != null) {
                    gaveUp.incrementAndGet();
                    r.run();
                }
            }, Math.max(0, giveUp - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } else {
            long next = lastSent + c(b.pauseBeforeMs());
            timer.schedule(() -> burst(tenant, p, k + 1, next, done), Math.max(0, next - System.currentTimeMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void post(String tenant, String body, String messageId) {
        try {
            long at = System.currentTimeMillis();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + tenant))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                failures.incrementAndGet();
            } else if (messageId != null) {
                arrived.get(tenant).put(messageId, at);
            }
        } catch (Exception e) {
            failures.incrementAndGet();
        }
    }

    private static String jid(TypingTrace.Person p) {
        return "7900" + String.format(Locale.ROOT, "%07d", p.id()) + "@s.whatsapp.net";
    }

    private static String message(String jid, String id, int chars) {
        String text = "word ".repeat(chars / 5 + 1).substring(0, chars);
        return "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", \"messages\": [{\"key\": {\"remoteJid\": \""
                + jid + "\", \"fromMe\": false, \"id\": \"" + id + "\"}, \"message\": {\"conversation\": \"" + text + "\"}}]}}";
    }

    private static String presence(String jid, String state) {
        return "{\"event\": \"presence.update\", \"data\": {\"id\": \"" + jid + "\", \"presences\": {\"" + jid
                + "\": {\"lastKnownPresence\": \"" + state + "\"}}}}";
    }

    /** Per policy: delays, split, merge and batches per burst, from what the bot received. */
    private void report(List<BenchSink.Delivery> deliveries, long wallMs) throws Exception {
        ObjectNode root = MessageCodec.JSON.createObjectNode();
        root.put("trace", trace.describe());
        root.put("compression", compress);
        root.put("wallSeconds", wallMs / 1000.0);
        root.put("failedRequests", failures.get());
        root.put("answersNeverCame", gaveUp.get());
        ArrayNode rows = root.putArray("policies");
        List<Svg.Series> points = new ArrayList<>();
        StringBuilder table = new StringBuilder("| policy | added delay p50 | p95 | p99 | split bursts | merged bursts | "
                + "batches per burst |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Policy> pol : policies.entrySet()) {
            String tenant = pol.getKey();
            Map<String, BenchSink.Delivery> batchOf = new HashMap<>();
            for (BenchSink.Delivery d : deliveries) {
                if (d.tenant().equals(tenant)) {
                    d.messageIds().forEach(id -> batchOf.put(id, d));
                }
            }
            List<Double> delays = new ArrayList<>();
            int bursts = 0;
            int split = 0;
            int merged = 0;
            int batches = 0;
            int lost = 0;
            for (TypingTrace.Person p : trace.people()) {
                for (int k = 0; k < p.bursts().size(); k++) {
                    bursts++;
                    Set<String> ids = new HashSet<>();
                    Set<BenchSink.Delivery> in = new HashSet<>();
                    int n = p.bursts().get(k).messages().size();
                    for (int i = 0; i < n; i++) {
                        String id = "p" + p.id() + "b" + k + "m" + i;
                        ids.add(id);
                        BenchSink.Delivery d = batchOf.get(id);
                        if (d == null) {
                            lost++;
                        } else {
                            in.add(d);
                        }
                    }
                    batches += in.size();
                    split += in.size() > 1 ? 1 : 0;
                    boolean shares = in.stream().anyMatch(d -> !ids.containsAll(d.messageIds()));
                    merged += shares ? 1 : 0;
                    String last = "p" + p.id() + "b" + k + "m" + (n - 1);
                    Long arrivedAt = arrived.get(tenant).get(last);
                    BenchSink.Delivery d = batchOf.get(last);
                    if (arrivedAt != null && d != null) {
                        delays.add((d.atMs() - arrivedAt) * compress / 1000.0);
                    }
                }
            }
            double[] s = Stats.sorted(delays);
            double splitPct = 100.0 * split / bursts;
            double mergedPct = 100.0 * merged / bursts;
            ObjectNode row = rows.addObject();
            row.put("policy", tenant).put("spec", pol.getValue().toString()).put("bursts", bursts)
                    .put("delayP50s", r2(Stats.pct(s, 50))).put("delayP95s", r2(Stats.pct(s, 95)))
                    .put("delayP99s", r2(Stats.pct(s, 99))).put("splitPct", r2(splitPct)).put("mergedPct", r2(mergedPct))
                    .put("batchesPerBurst", r2((double) batches / bursts)).put("lostMessages", lost);
            table.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s | %.1f %% | %.1f %% | %.2f |%n",
                    tenant, Stats.pct(s, 50), Stats.pct(s, 95), Stats.pct(s, 99), splitPct, mergedPct,
                    (double) batches / bursts));
            points.add(new Svg.Series(tenant, new double[]{splitPct}, new double[]{Stats.pct(s, 50)}));
        }
        Path dir = Path.of("bench/results");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("replay.json"), MessageCodec.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(root));
        Svg.points(dir.resolve("replay.svg"), "Release policies on one typing trace (" + trace.people().size()
                + " people)", "split bursts, %", "added delay p50, s", points);
        System.out.printf(Locale.ROOT, "replay: %d failed requests, %d answers never came, %.0f s wall time, "
                + "compression %.1fx%n", failures.get(), gaveUp.get(), wallMs / 1000.0, compress);
        System.out.print(table);
        System.out.println("wrote bench/results/replay.json and replay.svg");
    }

    private static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
