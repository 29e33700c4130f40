package io.rapidfire.ingest;

import io.rapidfire.core.Mask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the webhook side logs. A line per request would be 430 million lines a day at 5,000 msg/s (the original
 * once filled its disk with logs), so a request is logged only at DEBUG; at INFO an API process writes one
 * summary line per RAPIDFIRE_LOG_SUMMARY_MS, and only when it answered requests in that period.
 */
final class IngestLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rapidfire.ingest");

    private final LongAdder requests = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private ScheduledExecutorService summaries;

    void accepted(String format, String channel, String conversationKey, int accepted, int duplicates, int ignored) {
        requests.increment();
        this.accepted.add(accepted);
        this.duplicates.add(duplicates);
        this.ignored.add(ignored);
        if (log.isDebugEnabled()) {
            String who = conversationKey == null ? "-" : Mask.conversation(conversationKey);
            log.debug("accepted format={} channel={} conversation={} accepted={} duplicates={} ignored={}", format,
                    channel, who, accepted, duplicates, ignored);
        }
    }

    void refused(String reason) {
        requests.increment();
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** @param periodMs 0: no summaries */
    synchronized void summarizeEvery(long periodMs) {
        close();
        if (periodMs <= 0) {
            return;
        }
        summaries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rapidfire-ingest-summary");
            t.setDaemon(true);
            return t;
        });
        summaries.scheduleAtFixedRate(() -> summarize(periodMs), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    void summarize(long periodMs) {
        long n = requests.sumThenReset();
        long a = accepted.sumThenReset();
        long d = duplicates.sumThenReset();
        long i = ignored.sumThenReset();
        Map<String, Long> r = new TreeMap<>();
        refused.forEach((reason, count) -> {
            long c = count.sumThenReset();
            if (c > 0) {
                r.put(reason, c);
            }
        });
        if (n > 0) {
            log.info("webhooks in the last {}: {} requests, {} messages accepted, {} duplicates, {} ignored, refused {}",
                    periodMs % 1000 == 0 ? periodMs / 1000 + " s" : periodMs + " ms", n, a, d, i, r.isEmpty() ? "none" : r);
        }
    }

    @Override
    public synchronized void close() {
        if (summaries != null) {
            summaries.shutdownNow();
            summaries = null;
        }
    }
}
