package io.rapidfire.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario "slow_bot" (issue 12): the bot answers each batch only after 2 s (its LLM call). {@code people} each
 * send one burst of 3 messages, 200-600 ms apart, the bursts starting over 10 s, to one Rapidfire process with
 * default settings (quiet 5 s) over the webhook. Measured: when each batch reaches the bot, against its
 * deadline (last message accepted + quiet); target within 3 s for everyone. {@code inFlight} 16 replays the
 * earlier versions (16 delivery threads, each held while the bot thinks); 0 keeps the default.
 */
final class SlowBot {
    static final long BOT_THINKS_MS = 2_000;
    static final long QUIET = 5_000; // RAPIDFIRE_QUIET_MS default
    static final int BURST = 3;

    private SlowBot() {
    }

    static Map<String, Object> run(BenchMain b, int people, int inFlight) throws Exception {
        b.flushAll();
        Random rnd = new Random(7);
        List<long[]> events = new ArrayList<>(); // {atMs, person, k}
        for (int p = 0; p < people; p++) {
            long t = rnd.nextInt(10_000);
            for (int k = 0; k < BURST; k++) {
                events.add(new long[]{t, p, k});
                t += 200 + rnd.nextInt(401);
            }
        }
        events.sort((x, y) -> Long.compare(x[0], y[0]));
        AtomicLongArray sentAt = new AtomicLongArray(people * BURST);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        String label = inFlight > 0 ? "in flight " + inFlight + " (before)" : "defaults";
        Map<String, String> env = new HashMap<>(Map.of("RAPIDFIRE_SINK", "http"));
        if (inFlight > 0) {
            env.put("RAPIDFIRE_WORKER_CONCURRENCY", Integer.toString(inFlight));
        }
        try (BenchSink bot = new BenchSink(d -> { }, BOT_THINKS_MS)) {
            env.put("RAPIDFIRE_SINK_URL", bot.url());
            try (BenchMain.Rapidfire rf = b.new Rapidfire("http", "slow" + inFlight, env)) {
                rf.awaitReady();
                long cpu0 = rf.cpuMicros();
                int maxThreads = 0;
                ExecutorService senders = Executors.newFixedThreadPool(32);
                long t0 = System.currentTimeMillis();
                for (long[] e : events) {
                    long wait = t0 + e[0] - System.currentTimeMillis();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait * 1_000_000);
                    }
                    int p = (int) e[1];
                    int k = (int) e[2];
                    senders.execute(() -> {
                        if (rf.send(p, "c" + p + "-" + k, "part" + k)) {
                            sentAt.set(p * BURST + k, System.currentTimeMillis());
                            accepted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    });
                }
                senders.shutdown();
                senders.awaitTermination(2, TimeUnit.MINUTES);
                // Everyone's batch at the bot, or give up after the time 16 slots would need and a margin.
                long end = System.currentTimeMillis() + QUIET + (long) people * BOT_THINKS_MS / 16 + 30_000;
                while (bot.messagesSoFar() < accepted.get() && System.currentTimeMillis() < end) {
                    maxThreads = Math.max(maxThreads, Machine.threads(rf.process.pid()));
                    LockSupport.parkNanos(100_000_000);
                }
                long cpu = rf.cpuMicros() - cpu0;
                List<BenchSink.Delivery> got = bot.drain();
                BenchSink.Tally tally = BenchSink.tally(got, (p, k) -> sentAt.get(p * BURST + k), QUIET, d -> true);
                Map<String, Integer> seen = tally.seen();
                List<Double> lateness = tally.lateness();
                double[] s = Stats.sorted(lateness);
                long within3s = lateness.stream().filter(l -> l <= 3_000).count();
                long twice = tally.twice();
                long lost = accepted.get() - seen.size();
                Map<String, Object> row = b.row("slow_bot", people, "http", accepted.get());
                row.put("setting", label);
                row.put("bot_answers_after_ms", BOT_THINKS_MS);
                row.put("lost", lost);
                row.put("duplicated", twice);
                row.put("refused_by_api", refused.get());
                row.put("batches", got.size());
                row.put("lateness_p50_ms", BenchMain.round(Stats.pct(s, 50)));
                row.put("lateness_p99_ms", BenchMain.round(Stats.pct(s, 99)));
                row.put("lateness_max_ms", BenchMain.round(s.length == 0 ? Double.NaN : s[s.length - 1]));
                row.put("batches_within_3s_of_deadline", within3s);
                row.put("cpu_us_per_msg", accepted.get() == 0 ? null : Math.round((double) cpu / accepted.get()));
                row.put("max_threads", maxThreads);
                System.out.printf(Locale.ROOT, "slow bot (answers after %d ms), %,d people, %s: %,d batches, lost %d, "
                                + "twice %d, at the bot after the deadline p50 %.0f / p99 %.0f / max %.0f ms, "
                                + "%d of %d within 3 s, %d threads at most%n", BOT_THINKS_MS, people, label, got.size(),
                        lost, twice, Stats.pct(s, 50), Stats.pct(s, 99), s.length == 0 ? Double.NaN : s[s.length - 1],
                        within3s, got.size(), maxThreads);
                return row;
            }
        }
    }
}
