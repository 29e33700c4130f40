package io.rapidfire.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.testing.RedisCluster;
import io.lettuce.core.api.sync.RedisCommands;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Partitioner;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.worker.DeliveryObserver;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench/run [--quick]}: starts a real redis-server, a local HTTP sink that timestamps deliveries and
 * Rapidfire (in this JVM for the "api" path, as a separate process for the "http" path), runs the scenarios of
 * the benchmark issue, prints a table, writes bench/results/latest.json and two SVG plots, and stops all it
 * started. Everything on one machine: the figures include the load generator's and the sink's share of it.
 */
public final class BenchMain {
    static final long QUIET = 2_000;
    static final Policy POLICY = new Policy(QUIET, 10_000, 10, 16_384, " ");
    static final int PARTITIONS = 16;

    final boolean quick;
    /**
     * {@code --only paced|throughput|scale|slowbot|bullmq} runs one scenario (for profiling); the ceiling always runs.
     * bullmq runs only when asked (it needs Node and bullmq from npm).
     */
    String only = "";
    /** One redis-server, or with {@code --cluster} a local 3-master + 3-replica Redis Cluster. */
    final RedisServer redis;
    final RedisCluster cluster;
    final String redisUrl;
    final RedisLink link;
    final BenchSink sink;
    final RedisClient client;
    final RedisCommands<String, String> admin;
    final List<Map<String, Object>> rows = new ArrayList<>();
    final List<Svg.Series> latenessSeries = new ArrayList<>();
    final List<Svg.Series> throughputSeries = new ArrayList<>();
    final Path out = Path.of("bench/results");

    BenchMain(boolean quick, boolean clustered) throws Exception {
        this.quick = quick;
        this.cluster = clustered ? RedisCluster.start(3, 1) : null;
        this.redis = clustered ? null : RedisServer.start("--appendonly", "yes", "--appendfsync", "everysec");
        this.redisUrl = clustered ? cluster.url() : redis.url();
        this.link = RedisLink.open(redisUrl, "rapidfire:bench-admin", Duration.ofSeconds(10), Duration.ofSeconds(5));
        this.sink = new BenchSink();
        // Server-level commands for the single-Redis scenarios (scale, commandstats) go to one node.
        this.client = RedisClient.create(clustered ? "redis://127.0.0.1:" + cluster.nodes().get(0).port() : redis.url());
        this.admin = client.connect().sync();
    }

    void flushAll() {
        link.masters().forEach(m -> m.commands().flushall());
    }

    static final List<String> SCENARIOS = List.of("paced", "throughput", "scale", "slowbot", "bullmq", "overload");

    /** The --only scenario, "" for all; an unknown argument stops the run before anything starts. */
    static String checkArgs(String[] args) {
        String only = "";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only")) {
                String got = i + 1 < args.length ? args[++i] : null;
                if (got == null || !SCENARIOS.contains(got)) {
                    throw new IllegalArgumentException("bench/run: --only needs one of " + String.join(", ", SCENARIOS)
                            + (got == null ? "; got nothing" : "; got '" + got + "'"));
                }
                only = got;
            } else if (!args[i].equals("--quick") && !args[i].equals("--cluster")) {
                throw new IllegalArgumentException("bench/run: unknown argument '" + args[i] + "'; accepted: --quick, "
                        + "--cluster, --only " + String.join("|", SCENARIOS));
            }
        }
        return only;
    }

    public static void main(String[] args) throws Exception {
        String only;
        try {
            only = checkArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        BenchMain b = new BenchMain(quick, Arrays.asList(args).contains("--cluster"));
        b.only = only;
        try {
            b.runAll();
        } finally {
            b.sink.close();
            b.client.shutdown();
            b.link.close();
            if (b.redis != null) {
                b.redis.close();
            } else {
                b.cluster.close();
            }
        }
        System.exit(0);
    }

    void runAll() throws Exception {
        Files.createDirectories(out);
        String machine = Machine.describe();
        String redisVersion = admin.info("server").lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                .orElse("?").substring(14);
        String topology = cluster == null ? "one redis-server" : "Redis Cluster of 3 masters + 3 replicas";
        System.out.println("Rapidfire benchmark (" + (quick ? "quick" : "full") + ") on " + machine + ", Redis " + redisVersion
                + ", " + topology);
        double ceiling = ceiling(quick ? 100_000 : 200_000);
        // On a cluster the 100k run and the 1M-conversation scale run are left out: six Redis processes and the
        // rest on two cores say nothing more about the cluster than the smaller runs do.
        for (int c : quick || cluster != null ? new int[]{1_000, 10_000} : new int[]{1_000, 10_000, 100_000}) {
            for (String path : List.of("api", "http")) {
                if (only.isEmpty() || only.equals("paced")) {
                    pacedBursts(c, path);
                }
            }
        }
        if (only.equals("overload") || only.isEmpty() && !quick && cluster == null) {
            // More than the HTTP path takes on these cores: 60,000 bursts over 20 s (about 12,000 messages/s
            // offered), 512 connections, so the API's admission limit (RAPIDFIRE_MAX_INFLIGHT_REQUESTS) is reached.
            pacedBursts(60_000, "http", 20_000, 512, "paced_overload");
        }
        for (String path : List.of("api", "api-async", "http")) {
            if (only.isEmpty() || only.equals("throughput")) {
                throughput(quick ? 5_000 : 20_000, path, ceiling);
            }
        }
        for (String path : List.of("api", "http")) {
            if ((only.isEmpty() || only.equals("scale")) && cluster == null) {
                scale(quick ? 100_000 : 1_000_000, path);
            }
        }
        if ((only.isEmpty() || only.equals("slowbot")) && cluster == null) {
            // Before: 16 deliveries in flight, as the 16 delivery threads of earlier versions allowed.
            rows.add(SlowBot.run(this, 1_000, 16));
            rows.add(SlowBot.run(this, 1_000, 0));
        }
        if (only.equals("bullmq") && cluster == null) {
            // Only on request: it needs Node and bullmq from npm.
            rows.addAll(BullmqHandOff.run(this, quick ? 5_000 : 20_000));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine);
        doc.put("redis", redisVersion);
        doc.put("mode", quick ? "quick" : "full");
        doc.put("topology", topology);
        doc.put("ceiling_evalsha_per_s", Math.round(ceiling));
        doc.put("rows", rows);
        String prefix = cluster == null ? "" : "cluster-";
        if (!only.isEmpty()) {
            // One scenario run alone does not replace the figures of a whole run.
            Files.writeString(out.resolve(prefix + only + ".json"),
                    MessageCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            printTable();
            return;
        }
        if (quick && cluster == null) {
            // A quick run does not replace the full run's figures and plots (docs/benchmarks.md shows those).
            Files.writeString(out.resolve("quick.json"), MessageCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            printTable();
            return;
        }
        Files.writeString(out.resolve(cluster == null ? "latest.json" : "cluster.json"),
                MessageCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        Svg.lines(out.resolve(prefix + "lateness.svg"), "Release lateness at the sink (paced bursts): share of batches within x ms",
                "lateness ms (log)", "share of batches", latenessSeries, true);
        Svg.lines(out.resolve(prefix + "throughput.svg"), "Maximum throughput: accepted messages per second over time",
                "seconds since start", "messages/s", throughputSeries, false);
        printTable();
    }

    // ---------------------------------------------------------------- the system under test, per path

    /** Rapidfire for one scenario: in this JVM (api) or a separate process (http). */
    final class Rapidfire implements AutoCloseable {
        final String path;
        final String namespace;
        RedisBatchStore store;
        Batcher batcher;
        Worker worker;
        RapidfireProcess process;
        int port;
        final ConcurrentLinkedQueue<Long> insideLateness = new ConcurrentLinkedQueue<>();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Rapidfire(String path, String namespace) throws Exception {
            this(path, namespace, null);
        }

        /** @param defaults when not null: a separate process with default settings but these (and store, port, sink) */
        Rapidfire(String path, String namespace, Map<String, String> defaults) throws Exception {
            this.path = path;
            this.namespace = namespace;
            if (defaults != null) {
                port = RedisServer.freePort();
                Map<String, String> env = new HashMap<>(defaults);
                env.putAll(Map.of("REDIS_URL", redisUrl, "RAPIDFIRE_PORT", Integer.toString(port),
                        "RAPIDFIRE_NAMESPACE", namespace, "RAPIDFIRE_LOG_LEVEL", "WARN"));
                process = RapidfireProcess.start(List.of("-Xmx1g", "-XX:+UseParallelGC"), env);
            } else if (path.startsWith("api")) {
                store = RedisBatchStore.builder(redisUrl).clientName("rapidfire:bench-api").timeout(Duration.ofSeconds(5)).namespace(namespace).partitions(PARTITIONS).dedupWindow(Duration.ofDays(1)).build();
                batcher = new Batcher(store, Policies.of(POLICY));
                worker = new Worker(store, new HttpSink(URI.create(sink.url()), "", Duration.ofSeconds(2),
                        Duration.ofSeconds(10)), WorkerSettings.builder("bench").concurrency(64).lease(Duration.ofSeconds(30)).maxAttempts(8).retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).safetyPoll(Duration.ofSeconds(1)).shutdownGrace(Duration.ofMillis(5_000)).build(),
                        new DeliveryObserver() {
                            @Override
                            public void released(Batch b, long lateMs) {
                                insideLateness.add(lateMs);
                            }
                        }).start();
            } else {
                port = RedisServer.freePort();
                Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redisUrl, "RAPIDFIRE_PORT",
                        Integer.toString(port), "RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL", sink.url(),
                        "RAPIDFIRE_NAMESPACE", namespace, "RAPIDFIRE_QUIET_MS", Long.toString(QUIET),
                        "RAPIDFIRE_MAX_WAIT_MS", "10000",
                        "RAPIDFIRE_LOG_LEVEL", "WARN", "RAPIDFIRE_RATE_IP_BURST", "0"));
                env.put("RAPIDFIRE_RATE_SENDER_BURST", "0");
                List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseParallelGC"));
                String extra = System.getenv("RAPIDFIRE_BENCH_JVM_OPTS");
                if (extra != null && !extra.isBlank()) {
                    jvm.addAll(List.of(extra.trim().split("\\s+")));
                }
                process = RapidfireProcess.start(jvm, env);
            }
        }

        void awaitReady() {
            if (process == null) {
                return;
            }
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return;
                    }
                } catch (Exception notYet) {
                    LockSupport.parkNanos(100_000_000);
                }
            }
            throw new IllegalStateException("Rapidfire did not become ready:\n" + process.output());
        }

        /** Appends one message; true when answered 2xx (stored). */
        boolean send(int conv, String id, String text) {
            String phone = phone(conv);
            if (batcher != null) {
                batcher.append(Message.text(new ConversationRef("default", "whatsapp", phone), id, text, null));
                return true;
            }
            String body = body(conv, id, text);
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/webhook/whatsapp/batched")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() / 100 == 2;
            } catch (Exception e) {
                return false;
            }
        }

        static String phone(int conv) {
            return "+7" + (9_000_000_000L + conv);
        }

        static String body(int conv, String id, String text) {
            return "{\"from\":\"" + phone(conv) + "\",\"message\":\"" + text + "\",\"messageId\":\"" + id + "\"}";
        }

        /** One message as the original's webhook request, for {@link HttpLoad}. */
        byte[] request(int conv, String id, String text) {
            return HttpLoad.post(port, "/webhook/whatsapp/batched", body(conv, id, text));
        }

        long pid() {
            return process != null ? process.pid() : ProcessHandle.current().pid();
        }

        long cpuMicros() {
            if (process != null) {
                return Machine.cpuMicros(process.pid());
            }
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1_000;
        }

        /** Lateness histogram counts at the end of the warm-up, so that {@link #inside} counts the measurement only. */
        private List<double[]> insideBefore = List.of();

        /** Forgets the releases so far (the warm-up's): {@link #inside} then counts only those after this call. */
        void resetInside() {
            insideLateness.clear();
            insideBefore = process == null ? List.of() : insideBuckets();
        }

        private List<double[]> insideBuckets() {
            List<double[]> buckets = new ArrayList<>();
            try {
                String m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (String line : m.split("\n")) {
                    if (line.startsWith("rapidfire_release_lateness_seconds_bucket")) {
                        String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        buckets.add(new double[]{le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le) * 1000, v});
                    }
                }
            } catch (Exception e) {
                return List.of();
            }
            return buckets;
        }

        /** Release lateness measured inside Rapidfire (claim time minus deadline), ms: exact for api, histogram for http. */
        double[] inside(double... percentiles) {
            double[] out = new double[percentiles.length];
            if (process == null) {
                double[] s = Stats.sorted(new ArrayList<>(insideLateness));
                for (int i = 0; i < percentiles.length; i++) {
                    out[i] = Stats.pct(s, percentiles[i]);
                }
                return out;
            }
            try {
                List<double[]> buckets = insideBuckets();
                for (int i = 0; i < buckets.size() && i < insideBefore.size(); i++) {
                    buckets.get(i)[1] -= insideBefore.get(i)[1];
                }
                double total = buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1)[1];
                for (int i = 0; i < percentiles.length; i++) {
                    out[i] = Double.NaN;
                    for (double[] b : buckets) {
                        if (total > 0 && b[1] >= total * percentiles[i] / 100) {
                            out[i] = b[0];
                            break;
                        }
                    }
                }
            } catch (Exception e) {
                Arrays.fill(out, Double.NaN);
            }
            return out;
        }

        @Override
        public void close() {
            if (worker != null) {
                worker.close();
                store.close();
            }
            if (process != null) {
                process.stop();
            }
        }
    }

    // ---------------------------------------------------------------- scenarios

    /** Scenario 1: C conversations, each a burst of 3-5 messages 100-500 ms apart, starts spread over 20 s. */
    void pacedBursts(int conversations, String path) throws Exception {
        pacedBursts(conversations, path, 20_000, 128, "paced_bursts");
    }

    /**
     * Scenario 1, and the overload row: C conversations, starts spread over {@code windowMs}, sent over HTTP by
     * {@code connections} connections at most in flight (beyond RAPIDFIRE_MAX_INFLIGHT_REQUESTS the API refuses
     * with 503, counted in refused_by_api; lateness is of what was accepted).
     */
    void pacedBursts(int conversations, String path, int windowMs, int connections, String scenario) throws Exception {
        flushAll();
        sink.drain();
        Random rnd = new Random(42);
        List<long[]> events = new ArrayList<>(); // {atMs, conv, k}
        int[] sizes = new int[conversations];
        for (int c = 0; c < conversations; c++) {
            long t = rnd.nextInt(windowMs);
            sizes[c] = 3 + rnd.nextInt(3);
            for (int k = 0; k < sizes[c]; k++) {
                events.add(new long[]{t, c, k});
                t += 100 + rnd.nextInt(401);
            }
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        AtomicLongArray sentAt = new AtomicLongArray(conversations * 5);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (Rapidfire rf = new Rapidfire(path, "b" + conversations + path)) {
            rf.awaitReady();
            warmUp(rf, path);
            Map<String, Long> threads0 = Machine.cpuByThread(rf.pid());
            long generatorCpu = 0;
            if (rf.process != null) {
                // Over HTTP: the one-thread generator, up to 128 requests in flight, each sent when its time comes.
                try (HttpLoad load = new HttpLoad(rf.port, connections)) {
                    load.run(new HttpLoad.Plan() {
                        int next;

                        @Override
                        public HttpLoad.Request next(int conn, long nowMs) {
                            if (next >= events.size() || events.get(next)[0] > nowMs) {
                                return null;
                            }
                            long[] e = events.get(next++);
                            int c = (int) e[1];
                            int k = (int) e[2];
                            return new HttpLoad.Request(rf.request(c, "c" + c + "-" + k, "part" + k), c * 5L + k);
                        }

                        @Override
                        public long nextDueMs() {
                            return next < events.size() ? events.get(next)[0] : Long.MAX_VALUE;
                        }

                        @Override
                        public void answered(long tag, int status, long latencyNanos) {
                            if (status / 100 == 2) {
                                sentAt.set((int) tag, System.currentTimeMillis());
                                accepted.incrementAndGet();
                            } else {
                                refused.incrementAndGet();
                            }
                        }
                    });
                    generatorCpu = load.cpuMicros();
                }
            }
            ExecutorService senders = Executors.newFixedThreadPool(16);
            Semaphore inFlight = new Semaphore(256);
            long t0 = System.currentTimeMillis();
            for (long[] e : rf.process != null ? List.<long[]>of() : events) {
                long wait = t0 + e[0] - System.currentTimeMillis();
                if (wait > 0) {
                    LockSupport.parkNanos(wait * 1_000_000);
                }
                inFlight.acquireUninterruptibly();
                int c = (int) e[1];
                int k = (int) e[2];
                senders.execute(() -> {
                    try {
                        if (rf.send(c, "c" + c + "-" + k, "part" + k)) {
                            sentAt.set(c * 5 + k, System.currentTimeMillis());
                            accepted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
            senders.shutdown();
            senders.awaitTermination(5, TimeUnit.MINUTES);
            long sendEnd = System.currentTimeMillis();
            boolean drained = awaitDrain(rf.namespace, accepted.get());
            List<BenchSink.Delivery> got = sink.drain();
            BenchSink.Tally tally = BenchSink.tally(got, (c, k) -> sentAt.get(c * 5 + k), QUIET,
                    d -> d.reason().equals("quiet"));
            Map<String, Integer> seen = tally.seen();
            List<Double> lateness = tally.lateness();
            long duplicated = tally.twice();
            // Only a drained store can prove a loss; otherwise the rest is still waiting in Redis.
            long lost = drained ? accepted.get() - seen.size() : -1;
            double[] s = Stats.sorted(lateness);
            double[] inside = rf.inside(50, 99);
            Map<String, Object> row = row(scenario, conversations, path, accepted.get());
            row.put("offered_msgs_per_s", Math.round(events.size() / (windowMs / 1000.0)));
            row.put("lost", lost);
            row.put("duplicated", duplicated);
            row.put("refused_by_api", refused.get());
            row.put("drained", drained);
            row.put("drain_after_last_send_ms", System.currentTimeMillis() - sendEnd);
            row.put("bursts", conversations);
            row.put("batches", got.size());
            row.put("lateness_p50_ms", round(Stats.pct(s, 50)));
            row.put("lateness_p99_ms", round(Stats.pct(s, 99)));
            row.put("lateness_max_ms", round(s.length == 0 ? Double.NaN : s[s.length - 1]));
            row.put("inside_lateness_p50_ms", round(inside[0]));
            row.put("inside_lateness_p99_ms", round(inside[1]));
            if (rf.process != null) {
                row.put("generator_cpu_us_per_msg", round(generatorCpu / (double) Math.max(1, accepted.get())));
                row.put("cpu_by_thread", Machine.cpuByThreadSince(threads0, Machine.cpuByThread(rf.pid()), 12));
            }
            rows.add(row);
            latenessSeries.add(cdf(path + " " + conversations + " conv", s));
            System.out.printf(Locale.ROOT, "%s %,d conversations via %s: %,d messages (%,d refused, %,d/s offered), "
                            + "%,d batches, lost %d, twice %d, lateness p50 %.0f / p99 %.0f / max %.0f ms%n", scenario,
                    conversations, path, accepted.get(), refused.get(), Math.round(events.size() / (windowMs / 1000.0)),
                    got.size(), lost, duplicated, Stats.pct(s, 50), Stats.pct(s, 99), s.length == 0 ? Double.NaN : s[s.length - 1]);
            if (rf.process != null) {
                System.out.println("  CPU by thread (the Rapidfire process): " + row.get("cpu_by_thread"));
            }
        }
    }

    /**
     * Warms Rapidfire up before a measurement: rounds of 10,000 messages, 10 per conversation, delivered, until the
     * JIT compiler is quiet (at most a tenth of the process's CPU in a round), at most 8 rounds. On two cores the
     * compiler otherwise takes a quarter to a half of the CPU measured, and a cold process falls seconds behind
     * (issue 16). A deployed process pays this once, in its first minutes.
     */
    void warmUp(Rapidfire rf, String path) throws Exception {
        for (int round = 0, warm = 10_000; round < 8; round++) {
            Map<String, Long> before = Machine.cpuByThread(rf.pid());
            int base = 1_000_000 + round * 10_000;
            if (rf.process != null) {
                try (HttpLoad load = new HttpLoad(rf.port, 64)) {
                    load.run(closedLoop(warm, 10, n -> rf.request(base + n / 10, "w" + n, "warm"), (n, ok, nanos) -> {
                    }));
                }
            } else {
                ExecutorService warmers = Executors.newFixedThreadPool(32);
                for (int i = 0; i < warm; i += 10) {
                    int n = i;
                    warmers.execute(() -> {
                        for (int k = n; k < n + 10; k++) {
                            rf.send(base + k / 10, "w" + k, "warm");
                        }
                    });
                }
                warmers.shutdown();
                warmers.awaitTermination(10, TimeUnit.MINUTES);
            }
            long drainWarm = System.currentTimeMillis() + QUIET + 60_000;
            while (sink.messagesSoFar() < warm && System.currentTimeMillis() < drainWarm) {
                LockSupport.parkNanos(50_000_000);
            }
            sink.drain();
            Map<String, Long> after = Machine.cpuByThread(rf.pid());
            long all = 0;
            long jit = 0;
            for (Map.Entry<String, Long> e : after.entrySet()) {
                if (e.getKey().endsWith(" (kernel)")) {
                    continue;
                }
                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                all += d;
                jit += e.getKey().contains("CompilerThre") ? d : 0;
            }
            System.out.printf(Locale.ROOT, "  warm-up round %d via %s: JIT compiler %d of %d ms CPU%n", round + 1, path,
                    jit / 1_000, all / 1_000);
            if (jit * 10 <= all) {
                break;
            }
        }
        rf.resetInside();
    }

    /** Scenario 2: conversations x 10 back-to-back messages, 64 in flight. */
    void throughput(int conversations, String path, double ceiling) throws Exception {
        flushAll();
        sink.drain();
        int total = conversations * 10;
        try (Rapidfire rf = new Rapidfire(path, "t" + path)) {
            rf.awaitReady();
            warmUp(rf, path);
            AtomicInteger next = new AtomicInteger();
            long[][] latencies = new long[64][];
            int[] buckets = new int[600];
            long cpu0 = rf.cpuMicros();
            Map<String, Long> threads0 = Machine.cpuByThread(rf.pid());
            long sink0 = BenchSink.cpuMicros();
            double redis0 = redisCpuMicros();
            long calls0 = scriptCalls();
            long t0 = System.nanoTime();
            long wall0 = System.currentTimeMillis();
            java.util.concurrent.atomic.AtomicLong callersCpu = new java.util.concurrent.atomic.AtomicLong();
            boolean async = path.equals("api-async");
            Thread[] threads = new Thread[rf.process != null || async ? 0 : 64];
            AtomicInteger failed = new AtomicInteger();
            long generatorCpu = 0;
            if (rf.process != null) {
                // Over HTTP: the one-thread generator, 64 connections, each sending one conversation's 10 messages
                // one after the other (a person's messages arrive in order), then the next conversation.
                List<Long> acks = new ArrayList<>(total);
                try (HttpLoad load = new HttpLoad(rf.port, 64)) {
                    load.run(closedLoop(total, 10, n -> rf.request(n / 10, "c" + (n / 10) + "-" + (n % 10), "part" + (n % 10)),
                            (n, ok, nanos) -> {
                                if (!ok) {
                                    failed.incrementAndGet();
                                }
                                acks.add(nanos);
                                int bucket = (int) ((System.nanoTime() - t0) / 100_000_000);
                                if (bucket < buckets.length) {
                                    buckets[bucket]++;
                                }
                            }));
                    generatorCpu = load.cpuMicros();
                }
                latencies[0] = acks.stream().mapToLong(Long::longValue).toArray();
            }
            if (async) {
                // The Java API without a parked caller: 64 conversations in flight, each one's next message
                // appended from the completion of the previous one (on Lettuce's event loop), so no thread waits.
                long[] acks = new long[total];
                AtomicInteger acked = new AtomicInteger();
                java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(64);
                AsyncLane lane = new AsyncLane() {
                    @Override
                    public void next(int c, int k) {
                        int conv = c;
                        int n = k;
                        if (n == 10) {
                            conv = next.getAndIncrement();
                            n = 0;
                        }
                        if (conv >= conversations) {
                            finished.countDown();
                            return;
                        }
                        int cc = conv;
                        int kk = n;
                        long a = System.nanoTime();
                        rf.batcher.appendAsync(Message.text(new ConversationRef("default", "whatsapp",
                                Rapidfire.phone(cc)), "c" + cc + "-" + kk, "part" + kk, null)).whenComplete((r, e) -> {
                            long b = System.nanoTime();
                            if (e != null) {
                                failed.incrementAndGet();
                            }
                            acks[Math.min(total - 1, acked.getAndIncrement())] = b - a;
                            int bucket = (int) ((b - t0) / 100_000_000);
                            if (bucket < buckets.length) {
                                synchronized (buckets) {
                                    buckets[bucket]++;
                                }
                            }
                            next(cc, kk + 1);
                        });
                    }
                };
                for (int t = 0; t < 64; t++) {
                    lane.next(0, 10);
                }
                finished.await();
                latencies[0] = Arrays.copyOf(acks, Math.min(total, acked.get()));
            }
            for (int t = 0; t < threads.length; t++) {
                int me = t;
                latencies[t] = new long[total];
                threads[t] = new Thread(() -> {
                    long ownCpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    int n = 0;
                    for (int c; (c = next.getAndIncrement()) < conversations; ) {
                        for (int k = 0; k < 10; k++) {
                            long a = System.nanoTime();
                            if (!rf.send(c, "c" + c + "-" + k, "part" + k)) {
                                failed.incrementAndGet();
                            }
                            long b = System.nanoTime();
                            latencies[me][n++] = b - a;
                            int bucket = (int) ((b - t0) / 100_000_000);
                            if (bucket < buckets.length) {
                                synchronized (buckets) {
                                    buckets[bucket]++;
                                }
                            }
                        }
                    }
                    latencies[me] = Arrays.copyOf(latencies[me], n);
                    callersCpu.addAndGet((ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - ownCpu0) / 1_000);
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long ingestNanos = System.nanoTime() - t0;
            boolean drained = awaitDrain(rf.namespace, total - failed.get());
            List<BenchSink.Delivery> got = sink.drain();
            long drainMs = got.stream().mapToLong(BenchSink.Delivery::atMs).max().orElse(wall0) - wall0;
            // Rapidfire in this JVM (api): the bot stand-in's threads are not Rapidfire's CPU.
            long sinkCpu = BenchSink.cpuMicros() - sink0;
            String byThread = Machine.cpuByThreadSince(threads0, Machine.cpuByThread(rf.pid()), 12);
            long cpu = rf.cpuMicros() - cpu0 - (rf.process == null ? sinkCpu : 0);
            double redisCpu = redisCpuMicros() - redis0;
            double callsPerMsg = (scriptCalls() - calls0) / (double) total;
            Map<String, Integer> seen = new HashMap<>();
            got.forEach(d -> d.messageIds().forEach(id -> seen.merge(id, 1, Integer::sum)));
            List<Double> all = new ArrayList<>();
            for (long[] perThread : latencies) {
                for (long v : perThread == null ? new long[0] : perThread) {
                    all.add(v / 1e6);
                }
            }
            double[] lat = Stats.sorted(all);
            double rate = (total - failed.get()) / (ingestNanos / 1e9);
            Map<String, Object> row = row("max_throughput", conversations, path, total - failed.get());
            row.put("lost", drained ? (long) (total - failed.get()) - seen.size() : -1);
            row.put("drained", drained);
            row.put("duplicated", seen.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum());
            row.put("refused_by_api", failed.get());
            row.put("ingest_msgs_per_s", Math.round(rate));
            row.put("ack_latency_p50_ms", round(Stats.pct(lat, 50)));
            row.put("ack_latency_p99_ms", round(Stats.pct(lat, 99)));
            row.put("drain_ms", drainMs);
            row.put("cpu_us_per_msg", round((cpu + redisCpu) / total));
            row.put("cpu_us_per_msg_rapidfire", round(cpu / (double) total));
            row.put("cpu_us_per_msg_redis", round(redisCpu / total));
            // Script calls (appends, claims, acks...) per message: group commit shows here (one Redis only).
            row.put("redis_script_calls_per_msg", round(callsPerMsg));
            if (rf.process != null) {
                row.put("generator_cpu_us_per_msg", round(generatorCpu / (double) total));
            } else {
                // The 64 threads calling Batcher.append: the callers' side of the Java API (encoding, writing the
                // command, waiting for the answer) is Rapidfire's and stays in cpu_us_per_msg_rapidfire.
                row.put("callers_cpu_us_per_msg", round(callersCpu.get() / (double) total));
            }
            row.put("sink_cpu_us_per_msg", round(sinkCpu / (double) total));
            row.put("cpu_by_thread", byThread);
            row.put("fraction_of_ceiling", round(rate / ceiling));
            row.put("batches", got.size());
            rows.add(row);
            int lastBucket = (int) Math.min(buckets.length - 1, ingestNanos / 100_000_000);
            double[] xs = new double[lastBucket + 1];
            double[] ys = new double[lastBucket + 1];
            for (int i = 0; i <= lastBucket; i++) {
                xs[i] = i / 10.0;
                ys[i] = buckets[i] * 10.0;
            }
            throughputSeries.add(new Svg.Series(path, xs, ys));
            System.out.printf(Locale.ROOT, "max throughput via %s: %,d messages at %,.0f msg/s (%.0f%% of the EVALSHA "
                            + "ceiling), ack p50 %.2f / p99 %.2f ms, drained in %,d ms, CPU %.1f us/msg (Rapidfire %.1f + "
                            + "Redis %.1f); apart: %s %.1f, the bot stand-in %.1f us/msg%n", path, total, rate, 100 * rate / ceiling,
                    Stats.pct(lat, 50), Stats.pct(lat, 99), drainMs, (cpu + redisCpu) / total, cpu / (double) total,
                    redisCpu / total, rf.process != null ? "the load generator" : async ? "the callers (in the store's completions, inside Rapidfire's figure)" : "the callers' threads (inside Rapidfire's figure)",
                    (rf.process != null ? generatorCpu : callersCpu.get()) / (double) total, sinkCpu / (double) total);
            System.out.println("  CPU by thread (" + (rf.process != null ? "the Rapidfire process" : "this JVM") + "): " + byThread);
            System.out.printf(Locale.ROOT, "  Redis script calls per message (appends, claims, acks): %.3f%n", callsPerMsg);
        }
    }

    /** One conversation in flight on the asynchronous Java API: appends message k of conversation c, then the next. */
    interface AsyncLane {
        void next(int c, int k);
    }

    interface Answered {
        void answered(int n, boolean ok, long latencyNanos);
    }

    /**
     * Requests 0..count-1 as fast as they are answered, in runs of {@code run} consecutive requests kept on one
     * connection in order (one conversation's messages), one run after another.
     */
    static HttpLoad.Plan closedLoop(int count, int run, java.util.function.IntFunction<byte[]> request, Answered answered) {
        return new HttpLoad.Plan() {
            int nextRun;
            final Map<Integer, int[]> current = new HashMap<>(); // conn -> {next request, end of its run}

            @Override
            public HttpLoad.Request next(int conn, long nowMs) {
                int[] c = current.get(conn);
                if (c == null || c[0] >= c[1]) {
                    if (nextRun * run >= count) {
                        return null;
                    }
                    c = new int[]{nextRun * run, Math.min(count, (nextRun + 1) * run)};
                    nextRun++;
                    current.put(conn, c);
                }
                int n = c[0]++;
                return new HttpLoad.Request(request.apply(n), n);
            }

            @Override
            public long nextDueMs() {
                // A run under way goes on when its connection's answer comes; only new runs are due here.
                return nextRun * run < count ? 0 : Long.MAX_VALUE;
            }

            @Override
            public void answered(long tag, int status, long latencyNanos) {
                answered.answered((int) tag, status / 100 == 2, latencyNanos);
            }
        };
    }

    /** Scenario 3: append and claim cost with N open conversations compared with 1,000; memory per conversation. */
    void scale(int open, String path) throws Exception {
        admin.flushall();
        sink.drain();
        String ns = "s" + path;
        try (Rapidfire rf = new Rapidfire(path, ns);
             // Claims are timed in a twin namespace with the same open conversations and no worker competing.
             RedisBatchStore probe = RedisBatchStore.builder(redis.url()).clientName("rapidfire:bench-scale").timeout(Duration.ofSeconds(5)).namespace(ns + "-claims").partitions(PARTITIONS).dedupWindow(Duration.ofDays(1)).build()) {
            rf.awaitReady();
            for (int i = 0; i < 3_000; i++) {
                rf.send(4_000_000 + i, "warm" + i, "warm"); // JIT warm-up of the path before any timing
            }
            admin.flushall();
            long mem0 = usedMemory();
            fill(ns, 0, 1_000);
            fill(ns + "-claims", 0, 1_000);
            double[] small = measure(rf, probe, 2_000_000);
            double findSmall = findMs(probe);
            fill(ns, 1_000, open);
            fill(ns + "-claims", 1_000, open);
            long mem1 = usedMemory();
            double[] large = measure(rf, probe, 3_000_000);
            double findLarge = findMs(probe);
            Map<String, Object> row = row("scale", open, path, open);
            row.put("append_us_at_1000", round(small[0]));
            row.put("append_us_at_n", round(large[0]));
            row.put("append_ratio", round(large[0] / small[0]));
            row.put("claim_us_at_1000", round(small[1]));
            row.put("claim_us_at_n", round(large[1]));
            row.put("claim_ratio", round(large[1] / small[1]));
            row.put("append_redis_us_at_1000", round(small[2]));
            row.put("append_redis_us_at_n", round(large[2]));
            row.put("append_redis_ratio", round(large[2] / small[2]));
            row.put("claim_redis_us_at_1000", round(small[3]));
            row.put("claim_redis_us_at_n", round(large[3]));
            row.put("claim_redis_ratio", round(large[3] / small[3]));
            row.put("redis_bytes_per_open_conversation", Math.round((mem1 - mem0) / (2.0 * open)));
            row.put("find_ms_at_1000", round(findSmall));
            row.put("find_ms_at_n", round(findLarge));
            rows.add(row);
            System.out.printf(Locale.ROOT, "scale via %s: an operator's search (StoreAdmin.find, ZSCAN MATCH over every "
                    + "partition's indexes) %.1f ms at 1,000 vs %.1f ms at %,d open (median of 9)%n", path, findSmall,
                    findLarge, open);
            System.out.printf(Locale.ROOT, "scale via %s: append %.0f us at 1,000 vs %.0f us at %,d open (x%.2f; inside "
                            + "Redis %.1f vs %.1f us, x%.2f); claim %.0f vs %.0f us (x%.2f; inside Redis %.1f vs %.1f us, "
                            + "x%.2f); %d bytes of Redis memory per open conversation%n", path, small[0],
                    large[0], open, large[0] / small[0], small[2], large[2], large[2] / small[2], small[1], large[1],
                    large[1] / small[1], small[3], large[3], large[3] / small[3],
                    Math.round((mem1 - mem0) / (2.0 * open)));
        }
    }

    /** Median time of an operator's search for one contact among the open conversations (no index: a scan). */
    private static double findMs(RedisBatchStore probe) {
        List<Double> took = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long a = System.nanoTime();
            probe.find("no-such-contact-" + i, 50); // a miss: Redis walks every member (the worst case)
            took.add((System.nanoTime() - a) / 1_000_000.0);
        }
        java.util.Collections.sort(took);
        return took.get(took.size() / 2);
    }

    /** Median append latency (through the path) and median claim latency (store) at the current size. */
    private double[] measure(Rapidfire rf, RedisBatchStore probe, int base) {
        // Claims first: the appends below become due two seconds later and keep the path's worker busy.
        // 400 conversations made due at once in the twin namespace, then claimed one per call.
        Policy now = POLICY.withQuietMs(0);
        for (int i = 0; i < 400; i++) {
            probe.append(Message.text(new ConversationRef("default", "claim", "c" + base + "-" + i), "x", "x", null), now);
        }
        List<Double> claims = new ArrayList<>();
        admin.configResetstat();
        for (int round = 0; round < 100 && claims.size() < 200; round++) {
            for (int p = 0; p < PARTITIONS; p++) {
                long a = System.nanoTime();
                List<ClaimedBatch> got = probe.claim(p, 1, 30_000, "bench").batches();
                long b = System.nanoTime();
                if (!got.isEmpty()) {
                    claims.add((b - a) / 1_000.0);
                    probe.ack(got.get(0).lease());
                }
            }
        }
        double claimRedis = evalshaMicrosPerCall();
        double[] appends = new double[2_000];
        admin.configResetstat();
        for (int i = 0; i < appends.length; i++) {
            long a = System.nanoTime();
            rf.send(base + i, "m" + i, "hello");
            appends[i] = (System.nanoTime() - a) / 1_000.0;
        }
        double appendRedis = evalshaMicrosPerCall();
        return new double[]{Stats.median(appends), Stats.pct(Stats.sorted(claims), 50), appendRedis, claimRedis};
    }

    /**
     * Redis's own time per EVALSHA since the last CONFIG RESETSTAT (INFO commandstats): the cost inside Redis,
     * free of the client-side scheduling noise of a shared 2-core machine.
     */
    private double evalshaMicrosPerCall() {
        for (String line : admin.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (kv.startsWith("usec_per_call=")) {
                        return Double.parseDouble(kv.substring(14));
                    }
                }
            }
        }
        return Double.NaN;
    }

    /** Opens conversations [from, to) with one message each and a one-hour quiet period, pipelined. */
    private void fill(String ns, int from, int to) {
        String sha = admin.scriptLoad(RedisBatchStore.appendScriptSource());
        RedisKeys keys = new RedisKeys(ns, PARTITIONS);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> a = c.async();
            Semaphore window = new Semaphore(512);
            for (int i = from; i < to; i++) {
                ConversationRef ref = new ConversationRef("default", "open", "o" + i);
                int p = Partitioner.partitionOf(ref, PARTITIONS);
                String conv = ref.key();
                window.acquireUninterruptibly();
                a.evalsha(sha, ScriptOutputType.MULTI, new String[]{keys.conversation(p, conv), keys.open(p, conv),
                                keys.seen(p, conv), keys.due(p)}, conv, "m" + i, "{\"t\":\"hello\",\"r\":0}", "5",
                        "3600000", "7200000", "10", "16384", "86400000", keys.wakeChannel(), Integer.toString(p), "")
                        .whenComplete((r, e) -> window.release());
            }
            window.acquireUninterruptibly(512);
        }
    }

    /** Scenario 4: Rapidfire's own append script through EVALSHA as fast as this Redis takes it (256 in flight). */
    double ceiling(int calls) {
        flushAll();
        String sha = null;
        for (RedisLink.Server m : link.masters()) {
            sha = m.commands().scriptLoad(RedisBatchStore.appendScriptSource());
        }
        RedisKeys keys = new RedisKeys("ceiling", PARTITIONS);
        long t0;
        long elapsed;
        RedisClusterClient clusterClient = cluster == null ? null
                : RedisClusterClient.create(io.rapidfire.store.redis.RedisConnector.target(redisUrl).uris());
        try (io.lettuce.core.api.StatefulConnection<String, String> c = cluster == null ? client.connect()
                : clusterClient.connect()) {
            RedisClusterAsyncCommands<String, String> a = c instanceof StatefulRedisClusterConnection<String, String> cc
                    ? cc.async() : ((StatefulRedisConnection<String, String>) c).async();
            Semaphore window = new Semaphore(256);
            java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
            t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                ConversationRef ref = new ConversationRef("default", "whatsapp", "+7" + (9_000_000_000L + i / 10));
                int p = Partitioner.partitionOf(ref, PARTITIONS);
                String conv = ref.key();
                window.acquireUninterruptibly();
                a.evalsha(sha, ScriptOutputType.MULTI, new String[]{keys.conversation(p, conv), keys.open(p, conv),
                                keys.seen(p, conv), keys.due(p)}, conv, "m" + i, "{\"i\":\"m" + i + "\",\"t\":\"part\",\"r\":0}",
                        "4", "2000", "10000", "10", "16384", "86400000", keys.wakeChannel(), Integer.toString(p), "", " ", POLICY.paceSpec(), "0")
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                failed.incrementAndGet();
                            }
                            window.release();
                        });
            }
            window.acquireUninterruptibly(256);
            elapsed = System.nanoTime() - t0;
            if (failed.get() > 0) {
                // A ceiling of failing calls would be no ceiling: the script must take every append.
                throw new IllegalStateException(failed.get() + " of " + calls + " ceiling appends failed (script "
                        + "arguments out of step with append-4.lua?)");
            }
        } finally {
            if (clusterClient != null) {
                clusterClient.shutdown();
            }
        }
        double rate = calls / (elapsed / 1e9);
        Map<String, Object> row = row("ceiling_evalsha", calls / 10, "redis", calls);
        row.put("ingest_msgs_per_s", Math.round(rate));
        rows.add(row);
        System.out.printf(Locale.ROOT, "ceiling: Rapidfire's append script via pipelined EVALSHA: %,.0f calls/s%n", rate);
        return rate;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Waits until the sink has every accepted message, or the namespace has nothing pending or in flight and
     * nothing new arrived for 5 s (then whatever is missing is lost), or 15 minutes passed (then it is not
     * drained and nothing is claimed about losses). Returns whether it drained.
     */
    private boolean awaitDrain(String namespace, int accepted) {
        RedisKeys k = new RedisKeys(namespace, PARTITIONS);
        long hard = System.currentTimeMillis() + 15 * 60_000;
        int last = -1;
        long stableSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < hard) {
            int got = sink.messagesSoFar();
            if (got >= accepted) {
                LockSupport.parkNanos(500_000_000); // anything delivered twice arrives by now
                return true;
            }
            if (got != last) {
                last = got;
                stableSince = System.currentTimeMillis();
            }
            long open = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                open += link.commands().zcard(k.due(p)) + link.commands().zcard(k.inflight(p));
            }
            if (open == 0 && System.currentTimeMillis() - stableSince > 5_000) {
                return true;
            }
            LockSupport.parkNanos(100_000_000);
        }
        return false;
    }

    Map<String, Object> row(String scenario, int conversations, String path, long messages) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("conversations", conversations);
        r.put("path", path);
        r.put("messages", messages);
        for (String k : List.of("lost", "duplicated", "lateness_p50_ms", "lateness_p99_ms", "lateness_max_ms",
                "ingest_msgs_per_s", "cpu_us_per_msg")) {
            r.put(k, null);
        }
        return r;
    }

    /** EVALSHA and EVAL calls so far (one Redis; on a cluster: 0, not measured). */
    private long scriptCalls() {
        if (cluster != null) {
            return 0;
        }
        long calls = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)")
                .matcher(admin.info("commandstats"));
        while (m.find()) {
            calls += Long.parseLong(m.group(1));
        }
        return calls;
    }

    /** CPU of every Redis process (on a cluster: masters and replicas, since replication is part of the cost). */
    private double redisCpuMicros() {
        double s = 0;
        List<String> infos = cluster == null ? List.of(admin.info("cpu"))
                : cluster.nodes().stream().map(n -> RedisCluster.on(n, r -> r.info("cpu"))).toList();
        for (String info : infos) {
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                    s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return s * 1_000_000;
    }

    private long usedMemory() {
        for (String line : admin.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        return 0;
    }

    static Double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 100) / 100.0;
    }

    private static Svg.Series cdf(String name, double[] sorted) {
        int n = Math.min(200, sorted.length);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int idx = (int) ((long) i * (sorted.length - 1) / Math.max(1, n - 1));
            x[i] = Math.max(0.1, sorted[idx]);
            y[i] = (idx + 1) / (double) sorted.length;
        }
        return new Svg.Series(name, x, y);
    }

    private void printTable() {
        System.out.println();
        System.out.printf("%-34s %8s %-5s %9s %5s %5s %8s %8s %8s %10s %8s%n", "scenario", "conv", "path", "messages",
                "lost", "twice", "p50 ms", "p99 ms", "max ms", "msg/s", "us/msg");
        for (Map<String, Object> r : rows) {
            Object setting = r.get("setting");
            System.out.printf("%-34s %8s %-5s %9s %5s %5s %8s %8s %8s %10s %8s%n",
                    r.get("scenario") + (setting == null ? "" : " " + setting), r.get("conversations"),
                    r.get("path"), r.get("messages"), dash(r.get("lost")), dash(r.get("duplicated")),
                    dash(r.get("lateness_p50_ms")), dash(r.get("lateness_p99_ms")), dash(r.get("lateness_max_ms")),
                    dash(r.get("ingest_msgs_per_s")), dash(r.get("cpu_us_per_msg")));
        }
        String prefix = cluster == null ? "" : "cluster-";
        System.out.println(!only.isEmpty() ? "\nwritten: bench/results/" + prefix + only + ".json"
                : quick && cluster == null ? "\nwritten: bench/results/quick.json"
                : "\nwritten: bench/results/" + (cluster == null ? "latest" : "cluster")
                + ".json, bench/results/" + prefix + "lateness.svg, bench/results/" + prefix + "throughput.svg");
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
