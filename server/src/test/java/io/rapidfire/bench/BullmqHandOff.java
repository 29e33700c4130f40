package io.rapidfire.bench;

import io.rapidfire.core.Batch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.bullmq.BullmqSettings;
import io.rapidfire.delivery.bullmq.BullmqSink;
import io.rapidfire.testing.Bullmq;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario "bullmq" (issue 14, `bench/run --only bullmq`, needs Node): handing batches to a BullMQ queue, side by
 * side on the same redis-server. Rapidfire's sink (its script, job id = batchId, hand-off mark, the bigger data with
 * the messages) against the original's way, BullMQ's own Queue.add from Node (no job id), with the same job data.
 * Each adds {@code n} jobs
 * with 256 in flight; measured: jobs per second and Redis's own CPU per job (INFO cpu), the shared cost.
 */
final class BullmqHandOff {
    static final int LANES = 256;

    private BullmqHandOff() {
    }

    static List<Map<String, Object>> run(BenchMain b, int n) throws Exception {
        Bullmq.home();
        b.flushAll();
        BullmqSink sink = new BullmqSink(b.link, false, BullmqSettings.defaults());
        double cpu0 = redisCpuSeconds(b);
        Semaphore lanes = new Semaphore(LANES);
        AtomicInteger acked = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ConversationRef c = new ConversationRef("bench", "whatsapp", "+7900" + i);
            Batch batch = Batch.of("bench-" + i, c, 1, List.of(new StoredMessage(Message.text(c, "m" + i, "hello", null),
                    1_000)), ReleaseReason.QUIET, 1, " ");
            lanes.acquire();
            CompletableFuture<DeliveryOutcome> f = sink.deliverAsync(batch, Runnable::run);
            f.whenComplete((o, e) -> {
                if (e == null && o.kind() == DeliveryOutcome.Kind.ACK) {
                    acked.incrementAndGet();
                }
                lanes.release();
            });
        }
        lanes.acquire(LANES);
        double rapidfireSeconds = (System.nanoTime() - t0) / 1e9;
        double rapidfireCpu = redisCpuSeconds(b) - cpu0;
        long jobs = b.admin.llen("bull:company-bench-messages:wait");

        b.flushAll();
        double cpu1 = redisCpuSeconds(b);
        ConversationRef c0 = new ConversationRef("bench", "whatsapp", "+79000");
        String sameData = io.rapidfire.delivery.bullmq.BullmqJob.data(Batch.of("bench-0", c0, 1, List.of(
                new StoredMessage(Message.text(c0, "m0", "hello", null), 1_000)), ReleaseReason.QUIET, 1, " "));
        long ms = Bullmq.addJobs(b.redis.port(), "bull", "company-bench-messages", n, LANES, sameData);
        double bullmqCpu = redisCpuSeconds(b) - cpu1;
        long bullmqJobs = b.admin.llen("bull:company-bench-messages:wait");

        return List.of(row("rapidfire bullmq sink", n, jobs, acked.get(), n / rapidfireSeconds, rapidfireCpu),
                row("bullmq Queue.add (node)", n, bullmqJobs, bullmqJobs, n / (ms / 1000.0), bullmqCpu));
    }

    private static Map<String, Object> row(String path, int n, long jobs, long acked, double perSecond, double cpu) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "bullmq_handoff");
        r.put("path", path);
        r.put("messages", n);
        r.put("jobs_in_queue", jobs);
        r.put("acknowledged", acked);
        r.put("ingest_msgs_per_s", Math.round(perSecond));
        r.put("cpu_us_per_msg", Math.round(cpu * 1e6 / n * 10) / 10.0);
        r.put("note", "cpu_us_per_msg here is Redis's own CPU per job (INFO cpu), jobs added with 256 in flight");
        return r;
    }

    private static double redisCpuSeconds(BenchMain b) {
        double s = 0;
        for (String line : b.admin.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return s;
    }
}
