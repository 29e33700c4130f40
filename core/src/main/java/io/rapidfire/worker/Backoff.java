package io.rapidfire.worker;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Retry delay after failed attempt n (1-based): base * 2^(n-1), capped at max, then "equal jitter" (a random
 * point in the upper half) so that many batches failing together do not retry together. A downstream's
 * Retry-After is honoured as a lower bound (capped at max).
 *
 * @param random {@code bound -> a number in [0, bound)}; tests pass a fixed one, so no clock or luck is involved
 */
public record Backoff(long baseMs, long maxMs, LongUnaryOperator random) {
    public Backoff(long baseMs, long maxMs) {
        this(baseMs, maxMs, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    public long delayMs(int failedAttempt, long retryAfterMs) {
        long exp = baseMs << Math.min(30, Math.max(0, failedAttempt - 1));
        long d = Math.min(maxMs, exp < 0 ? maxMs : exp);
        long jittered = d / 2 + random.applyAsLong(d / 2 + 1);
        return Math.max(jittered, Math.min(retryAfterMs, maxMs));
    }
}
