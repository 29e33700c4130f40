package io.rapidfire.ingest;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (a sender, an IP), per API process. The defaults are generous on purpose: a person
 * typing rapid-fire must never be cut off (the original's 5-per-10-s limit dropped the 6th message of a
 * burst). A burst of 0 turns the limiter off.
 */
final class RateLimiter {
    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }
    }

    private final int burst;
    private final double perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private long lastSweepNanos = System.nanoTime();

    RateLimiter(int burst, double perSecond) {
        this.burst = burst;
        this.perSecond = perSecond;
    }

    boolean enabled() {
        return burst > 0;
    }

    /** Takes n tokens; returns 0 when allowed, else the seconds to wait before retrying (for Retry-After). */
    long take(String key, int n) {
        if (!enabled()) {
            return 0;
        }
        long now = System.nanoTime();
        sweep(now);
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * perSecond);
            b.lastNanos = now;
            if (b.tokens >= n) {
                b.tokens -= n;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((n - b.tokens) / perSecond));
        }
    }

    /** Full buckets carry no information: drop them now and then so idle senders cost no memory. */
    private void sweep(long now) {
        if (now - lastSweepNanos < 60_000_000_000L) {
            return;
        }
        lastSweepNanos = now;
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket b = it.next().getValue();
            synchronized (b) {
                if (b.tokens + (now - b.lastNanos) / 1e9 * perSecond >= burst) {
                    it.remove();
                }
            }
        }
    }
}
