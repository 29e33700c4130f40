package io.rapidfire.worker;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delay after failed attempt n (1-based): base * 2^(n-1), capped at max, then "equal jitter" (a random
 * point in the upper half) so that many batches failing together do not retry together. A downstream's
 * Retry-After is honoured as a lower bound.
 */
public record Backoff(long baseMs, long maxMs) {
    public long delayMs(int failedAttempt, long retryAfterMs) {
        long exp = baseMs << Math.min(30, Math.max(0, failedAttempt - 1));
        long d = Math.min(maxMs, exp < 0 ? maxMs : exp);
        long jittered = d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
        return Math.max(jittered, Math.min(retryAfterMs, maxMs));
    }
}
