package io.rapidfire.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets per key (a sender, an IP), per API process. The defaults are generous on purpose: a person
 * typing rapid-fire must never be cut off (the original's 5-per-10-s limit dropped the 6th message of a
 * burst). A burst of 0 turns the limiter off.
 *
 * <p>Memory is bounded: at most {@code maxKeys} buckets, the least recently used one forgotten first (counted in
 * {@link #evictions()}, exported as a metric). A flood of made-up senders then costs a fixed amount of memory; a
 * forgotten key starts again with a full bucket, which only errs toward letting a real person through.
 */
public final class RateLimiter {
    /** Buckets kept per limiter: enough for every active sender of a large deployment, ~10 MB at most. */
    static final int MAX_KEYS = 100_000;

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
    private final AtomicLong evictions = new AtomicLong();
    private final Map<String, Bucket> buckets;

    public RateLimiter(int burst, double perSecond) {
        this(burst, perSecond, MAX_KEYS);
    }

    public RateLimiter(int burst, double perSecond, int maxKeys) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.buckets = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                if (size() <= maxKeys) {
                    return false;
                }
                evictions.incrementAndGet();
                return true;
            }
        };
    }

    public boolean enabled() {
        return burst > 0;
    }

    public int burst() {
        return burst;
    }

    /** Takes n tokens; returns 0 when allowed, else the seconds to wait before retrying (for Retry-After). */
    public synchronized long take(String key, int n) {
        if (!enabled() || n <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * perSecond);
        b.lastNanos = now;
        if (b.tokens >= n) {
            b.tokens -= n;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((n - b.tokens) / perSecond));
    }

    /** Seconds until {@code key} has a token again, or 0 when it has one now; takes nothing. */
    synchronized long waitSeconds(String key) {
        Bucket b = enabled() ? buckets.get(key) : null;
        if (b == null) {
            return 0;
        }
        double tokens = Math.min(burst, b.tokens + (System.nanoTime() - b.lastNanos) / 1e9 * perSecond);
        return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }

    public synchronized int size() {
        return buckets.size();
    }

    /** Buckets forgotten to stay within the bound. */
    public long evictions() {
        return evictions.get();
    }
}
