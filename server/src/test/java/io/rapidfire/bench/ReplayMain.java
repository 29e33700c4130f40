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
import io.rapidfire.testing.ThinkingBot;
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
 * redis-server, the Redis store, the HTTP webhook path with Baileys payloads, a real worker and HTTP sink, the commit
 * route) once per release policy, all at the same time, each policy as its own tenant. Time is compressed by the same
 * factor for every policy (all policy durations, trace times and the bot's answer times are divided by it; results
 * are scaled back).
 *
 * <p>The bot stand-in ({@link ThinkingBot}) answers like an LLM: it takes {@code --llm} time (log-normal, median 3 s,
 * p90 7.5 s; or fixed 2 s / 8 s), then commits and answers only on 200; a person who waits for the answer reads it
 * when it is committed. Per policy: the delay until the answered batch is released (minus the burst's last message),
 * the time to the answer, bursts split into more than one delivered batch, bursts split into more than one
 * <i>answer</i> (visible split: what the person sees), merged bursts, wasted generations (deliveries superseded or
 * refused at the commit). Writes bench/results/replay.json and replay.svg and prints the README's table.
 */
public final class ReplayMain {
    private final TypingTrace trace;
    private final double compress;
    private final Map<String, Policy> policies = new LinkedHashMap<>();
    private final String llm;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(12);
    /** tenant -> message id -> when it reached the webhook. */
    private final Map<String, Map<String, Long>> arrived = new ConcurrentHashMap<>();
    /** tenant:conversation:message id of a burst's last message -> what to do once the bot answered it. */
    private final Map<String, Runnable> onAnswered = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private String base;

    ReplayMain(TypingTrace trace, double compress, String llm) {
        this.trace = trace;
        this.compress = compress;
        this.llm = llm;
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
        // One answer per thought: the bot's half-answer is dropped when the person writes again before it commits.
        Policy supersede = fixed.withTyping(true, 1_000, 10_000).withSupersede(true);
        policies.put("supersede", supersede);
        policies.put("supersede-floor-3s", supersede.withCommitNotBeforeMs(3_000));
        policies.put("supersede-floor-5s", supersede.withCommitNotBeforeMs(5_000));
        policies.put("supersede-floor-8s", supersede.withCommitNotBeforeMs(8_000));
        // Channels without presence: the supersede rule on a short fixed window.
        policies.put("supersede-fixed-1s", fixed.withQuietMs(1_000).withSupersede(true));
        policies.put("supersede-fixed-2s", fixed.withQuietMs(2_000).withSupersede(true));
    }

    /**
     * The bot's answer time for a batch, ms of the person's time: seeded by what the batch holds (its messages' ids),
     * so that two runs give the same batch the same time (batch ids differ from run to run).
     */
    private long llmMs(String holds) {
        return switch (llm) {
            case "fixed-2s" -> 2_000;
            case "fixed-8s" -> 8_000;
            default -> {
                // Log-normal, median 3 s, p90 7.5 s: sigma = ln(2.5) / 1.2816.
                double z = new java.util.Random(holds.hashCode() * 31L + 7).nextGaussian();
                yield Math.round(3_000 * Math.exp(0.715 * z));
            }
        };
    }

    /** A policy with every duration divided by the compression factor. */
    private Policy compressed(Policy p) {
        return new Policy(c(p.quietMs()), c(p.maxWaitMs()), p.maxMessages(), p.maxBytes(), p.joiner(), p.typing(),
                c(p.typingGraceMs()), Math.max(1_000, c(p.typingTimeoutMs())), p.adaptive(), c(p.adaptiveFloorMs()),
                p.flushKeywords(), p.firstMessageAtOnce(), p.supersede(), c(p.commitNotBeforeMs()));
    }

    private long c(long ms) {
        return Math.round(ms / compress);
    }

    public static void main(String[] args) throws Exception {
        int people = 150;
        int bursts = 3;
        long seed = 42;
        double compress = 4;
        String llm = "lognormal";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--people" -> people = Integer.parseInt(args[++i]);
                case "--bursts" -> bursts = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--compress" -> compress = Double.parseDouble(args[++i]);
                case "--llm" -> llm = args[++i];
                default -> throw new IllegalArgumentException("bench/replay [--people N] [--bursts N] [--seed N] "
                        + "[--compress F] [--llm lognormal|fixed-2s|fixed-8s] (got " + args[i] + ")");
            }
        }
        TypingTrace trace = TypingTrace.generate(TypingTrace.Params.defaults(seed, people, bursts));
        System.out.println(trace.describe());
        if (!List.of("lognormal", "fixed-2s", "fixed-8s").contains(llm)) {
            throw new IllegalArgumentException("--llm is lognormal, fixed-2s or fixed-8s (got " + llm + ")");
        }
        new ReplayMain(trace, compress, llm).run();
    }

    void run() throws Exception {
        Map<String, Policy> tenants = new HashMap<>();
        policies.forEach((k, v) -> tenants.put(k, compressed(v)));
        ThinkingBot bot = new ThinkingBot(b -> Math.round(llmMs(b.path("conversation").asText() + b.path("messages")
                .findValuesAsText("id")) / compress), "", false, o -> {
            if (!o.kind().equals("answered")) {
                return;
            }
            for (String id : o.messageIds()) {
                Runnable r = onAnswered.remove(o.batch().path("tenant").asText() + ":"
                        + o.batch().path("conversation").asText() + ":" + id);
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
                    settings, metrics, new MemoryRegistry()).commits("", c(5_000)).start("127.0.0.1", 0);
            // A bot under queue answers without asking (no commitUrl), as before; under supersede it commits first.
            var links = new io.rapidfire.delivery.CommitLinks(() -> "http://127.0.0.1:" + server.port(), store);
            // Every delivery holds a slot while the "LLM" thinks: enough slots that no policy waits for another's.
            Worker worker = new Worker(store, new HttpSink(URI.create(bot.url()), "", Duration.ofSeconds(2),
                    Duration.ofSeconds(60), b -> policies.get(b.conversation().tenant()).supersede() ? links.apply(b) : null),
                    WorkerSettings.builder("replay").concurrency(1_024).lease(Duration.ofSeconds(30))
                    .maxAttempts(8).retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .safetyPoll(Duration.ofSeconds(1)).shutdownGrace(Duration.ofSeconds(2)).build(), metrics).start();
            base = "http://127.0.0.1:" + server.port() + "/webhook/whatsapp/batched?tenant=";
            long started = System.currentTimeMillis();
            CountDownLatch done = new CountDownLatch(policies.size() * trace.people().size());
            long t0 = System.currentTimeMillis() + 500;
            t0Ms = t0;
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
            report(bot.received(), bot.outcomes(), wall);
        } finally {
            bot.close();
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
            onAnswered.put(key, () -> burst(tenant, p, k + 1, System.currentTimeMillis() + c(b.pauseBeforeMs()), done));
            long giveUp = lastSent + c(policies.get(tenant).maxWaitMs() + 60_000);
            timer.schedule(() -> {
                Runnable r = onAnswered.remove(key);
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

    /**
     * Per policy, from what the bot received and what it answered: delays, splits (released and visible), merges,
     * wasted generations, and the ledger (every message in exactly one answer).
     */
    private void report(List<com.fasterxml.jackson.databind.JsonNode> received, List<ThinkingBot.Outcome> outcomes,
                        long wallMs) throws Exception {
        ObjectNode root = MessageCodec.JSON.createObjectNode();
        root.put("trace", trace.describe());
        root.put("compression", compress);
        root.put("llm", llm.equals("lognormal") ? "log-normal, median 3 s, p90 7.5 s" : llm);
        root.put("wallSeconds", wallMs / 1000.0);
        root.put("failedRequests", failures.get());
        root.put("answersNeverCame", gaveUp.get());
        ArrayNode rows = root.putArray("policies");
        List<Svg.Series> points = new ArrayList<>();
        StringBuilder aborts = new StringBuilder();
        StringBuilder table = new StringBuilder("| policy | added delay p50 | p95 | time to answer p50 | p95 | "
                + "split (released) | visible split | of which past max wait | wasted per burst | lost | answered twice |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Policy> pol : policies.entrySet()) {
            String tenant = pol.getKey();
            // message id -> every batch that delivered it; -> the answers that hold it
            Map<String, List<String>> deliveredIn = new HashMap<>();
            for (com.fasterxml.jackson.databind.JsonNode b : received) {
                if (b.path("tenant").asText().equals(tenant)) {
                    b.path("messages").forEach(m -> deliveredIn.computeIfAbsent(m.path("id").asText(),
                            k -> new ArrayList<>()).add(b.path("batchId").asText()));
                }
            }
            Map<String, List<ThinkingBot.Outcome>> answeredIn = new HashMap<>();
            List<Double> abortMs = new ArrayList<>();
            int wasted = 0;
            for (ThinkingBot.Outcome o : outcomes) {
                if (!o.batch().path("tenant").asText().equals(tenant)) {
                    continue;
                }
                if (o.kind().equals("answered")) {
                    o.messageIds().forEach(id -> answeredIn.computeIfAbsent(id, k -> new ArrayList<>()).add(o));
                } else if (!o.kind().equals("repeat")) {
                    wasted++;
                }
                if (o.kind().equals("aborted")) {
                    // From the webhook request of the message that superseded it to the bot seeing its client go.
                    String person = o.messageIds().get(0).substring(0, o.messageIds().get(0).indexOf('b'));
                    arrived.get(tenant).entrySet().stream()
                            .filter(e -> e.getKey().startsWith(person + "b") && e.getValue() >= o.receivedAtMs())
                            .mapToLong(Map.Entry::getValue).min()
                            .ifPresent(at -> abortMs.add((double) (o.atMs() - at)));
                }
            }
            List<Double> delays = new ArrayList<>();
            List<Double> answers = new ArrayList<>();
            int bursts = 0;
            int split = 0;
            int visible = 0;
            int pastMaxWait = 0;
            int lost = 0;
            int twice = 0;
            for (TypingTrace.Person p : trace.people()) {
                for (int k = 0; k < p.bursts().size(); k++) {
                    bursts++;
                    Set<String> releasedIn = new HashSet<>();
                    Set<ThinkingBot.Outcome> in = new HashSet<>();
                    int n = p.bursts().get(k).messages().size();
                    for (int i = 0; i < n; i++) {
                        String id = "p" + p.id() + "b" + k + "m" + i;
                        List<String> d = deliveredIn.getOrDefault(id, List.of());
                        if (!d.isEmpty()) {
                            releasedIn.add(d.get(0)); // the batch that first released it: a cut shows here
                        }
                        List<ThinkingBot.Outcome> a = answeredIn.getOrDefault(id, List.of());
                        if (a.isEmpty() || a.size() > 1) {
                            explain(tenant, id, d, a, outcomes);
                        }
                        if (a.isEmpty()) {
                            lost++;
                        } else {
                            twice += a.size() - 1;
                            in.add(a.get(0));
                        }
                    }
                    split += releasedIn.size() > 1 ? 1 : 0;
                    visible += in.size() > 1 ? 1 : 0;
                    Long firstAt = arrived.get(tenant).get("p" + p.id() + "b" + k + "m0");
                    Long lastAt = arrived.get(tenant).get("p" + p.id() + "b" + k + "m" + (n - 1));
                    if (in.size() > 1 && firstAt != null && lastAt != null
                            && lastAt - firstAt >= c(pol.getValue().maxWaitMs())) {
                        pastMaxWait++; // the thought took longer than max wait: cut there by design
                    }
                    if (in.size() > 1 && System.getenv("REPLAY_EXPLAIN_SPLITS") != null
                            && tenant.equals(System.getenv("REPLAY_EXPLAIN_SPLITS"))) {
                        StringBuilder why = new StringBuilder("  split " + tenant + " p" + p.id() + "b" + k + ":");
                        for (int i = 0; i < n; i++) {
                            String id = "p" + p.id() + "b" + k + "m" + i;
                            Long at = arrived.get(tenant).get(id);
                            why.append(" ").append(id).append("@").append(at == null ? "?" : (at - t0Ms) * compress / 1000.0);
                        }
                        for (ThinkingBot.Outcome o : in) {
                            why.append(" | answer ").append(o.messageIds()).append(" got@")
                                    .append((o.receivedAtMs() - t0Ms) * compress / 1000.0).append(" committed@")
                                    .append((o.atMs() - t0Ms) * compress / 1000.0);
                        }
                        explained.add(why.toString());
                    }
                    String last = "p" + p.id() + "b" + k + "m" + (n - 1);
                    Long arrivedAt = arrived.get(tenant).get(last);
                    List<ThinkingBot.Outcome> a = answeredIn.getOrDefault(last, List.of());
                    if (arrivedAt != null && !a.isEmpty()) {
                        delays.add((a.get(0).receivedAtMs() - arrivedAt) * compress / 1000.0);
                        answers.add((a.get(0).atMs() - arrivedAt) * compress / 1000.0);
                    }
                }
            }
            double[] d = Stats.sorted(delays);
            double[] t = Stats.sorted(answers);
            double splitPct = 100.0 * split / bursts;
            double visiblePct = 100.0 * visible / bursts;
            double wastedPerBurst = (double) wasted / bursts;
            ObjectNode row = rows.addObject();
            row.put("policy", tenant).put("spec", pol.getValue().describe()).put("bursts", bursts)
                    .put("delayP50s", r2(Stats.pct(d, 50))).put("delayP95s", r2(Stats.pct(d, 95)))
                    .put("answerP50s", r2(Stats.pct(t, 50))).put("answerP95s", r2(Stats.pct(t, 95)))
                    .put("splitReleasedPct", r2(splitPct)).put("visibleSplitPct", r2(visiblePct))
                    .put("visibleSplitPastMaxWaitPct", r2(100.0 * pastMaxWait / bursts))
                    .put("wastedPerBurst", r2(wastedPerBurst)).put("lostMessages", lost).put("answeredTwice", twice);
            if (!abortMs.isEmpty()) {
                double[] a = Stats.sorted(abortMs);
                row.put("abortLatencyP50Ms", r2(Stats.pct(a, 50))).put("abortLatencyP99Ms", r2(Stats.pct(a, 99)))
                        .put("aborts", abortMs.size());
                aborts.append(String.format(Locale.ROOT, "  %s: %d deliveries aborted, new message to bot's client gone "
                        + "p50 %.0f ms, p99 %.0f ms (real time, not scaled)%n", tenant, abortMs.size(), Stats.pct(a, 50),
                        Stats.pct(a, 99)));
            }
            table.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s | %.2f s | %.1f %% | %.1f %% | "
                            + "%.1f %% | %.2f | %d | %d |%n", tenant, Stats.pct(d, 50), Stats.pct(d, 95), Stats.pct(t, 50),
                    Stats.pct(t, 95), splitPct, visiblePct, 100.0 * pastMaxWait / bursts, wastedPerBurst, lost, twice));
            points.add(new Svg.Series(tenant, new double[]{visiblePct}, new double[]{Stats.pct(t, 50)}));
        }
        Path dir = Path.of("bench/results");
        Files.createDirectories(dir);
        String suffix = llm.equals("lognormal") ? "" : "-" + llm;
        Files.writeString(dir.resolve("replay" + suffix + ".json"), MessageCodec.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(root));
        Svg.points(dir.resolve("replay" + suffix + ".svg"), "Release policies on one typing trace (" + trace.people().size()
                + " people, bot " + root.get("llm").asText() + ")", "visible split bursts, %", "time to answer p50, s",
                points);
        System.out.printf(Locale.ROOT, "replay: %d failed requests, %d answers never came, %.0f s wall time, "
                + "compression %.1fx, bot %s%n", failures.get(), gaveUp.get(), wallMs / 1000.0, compress,
                root.get("llm").asText());
        System.out.print(table);
        System.out.print(aborts);
        if (!explained.isEmpty()) {
            System.out.println("messages not answered exactly once:");
            explained.stream().limit(60).forEach(System.out::println);
        }
        System.out.println("wrote bench/results/replay" + suffix + ".json and replay" + suffix + ".svg");
    }

    /** For a message not answered exactly once: every batch that carried it and what the bot did with it. */
    private void explain(String tenant, String id, List<String> deliveredIn, List<ThinkingBot.Outcome> answered,
                         List<ThinkingBot.Outcome> outcomes) {
        StringBuilder b = new StringBuilder("  " + tenant + " " + id + " answered " + answered.size() + "x; delivered in "
                + deliveredIn + ":");
        for (ThinkingBot.Outcome o : outcomes) {
            if (deliveredIn.contains(o.batchId())) {
                b.append(" [").append(o.batchId()).append(' ').append(o.kind()).append(' ').append(o.commitStatus())
                        .append(" +").append(o.atMs() - o.receivedAtMs()).append("ms]");
            }
        }
        explained.add(b.toString());
    }

    private final List<String> explained = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long t0Ms;

    private static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
