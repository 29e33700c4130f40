package io.rapidfire.worker;

/**
 * @param concurrency     batches delivered at the same time
 * @param leaseMs         a claimed batch returns to the pool if not renewed within this; renewed every third
 * @param maxAttempts     deliveries before a batch becomes a dead letter
 * @param safetyPollMs    every partition is claimed at least this often, in case a wake-up was missed
 * @param shutdownGraceMs how long in-flight deliveries may finish at shutdown before being released
 */
public record WorkerSettings(String workerId, int concurrency, long leaseMs, int maxAttempts, long retryBaseMs,
                             long retryMaxMs, long safetyPollMs, long shutdownGraceMs) {
}
