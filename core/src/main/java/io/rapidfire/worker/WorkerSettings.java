package io.rapidfire.worker;

import io.rapidfire.core.Tunables;

import java.time.Duration;

/**
 * How a worker claims and delivers. Build it with {@link #builder(String)}: every value not set is the
 * default of its setting ({@link Tunables}), and a value out of range fails naming the setting and the range.
 *
 * @param concurrency     batches in flight at the same time (a waiting delivery holds no thread)
 * @param leaseMs         a claimed batch returns to the pool if not renewed within this; renewed every third
 * @param maxAttempts     deliveries before a batch becomes a dead letter
 * @param safetyPollMs    every partition is claimed at least this often, in case a wake-up was missed
 * @param shutdownGraceMs how long in-flight deliveries may finish at shutdown before being released
 * @param commitTimeoutMs a batch the bot took to commit later counts as committed after this
 */
public record WorkerSettings(String workerId, int concurrency, long leaseMs, int maxAttempts, long retryBaseMs,
                             long retryMaxMs, long safetyPollMs, long shutdownGraceMs, long commitTimeoutMs) {
    public WorkerSettings {
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be empty: it names the worker in leases, logs and "
                    + "the process registry");
        }
        Tunables.WORKER_CONCURRENCY.check("concurrency", concurrency);
        Tunables.LEASE_MS.check("lease", leaseMs);
        Tunables.MAX_ATTEMPTS.check("maxAttempts", maxAttempts);
        Tunables.RETRY_BASE_MS.check("retryBase", retryBaseMs);
        Tunables.RETRY_MAX_MS.check("retryMax", retryMaxMs);
        Tunables.SAFETY_POLL_MS.check("safetyPoll", safetyPollMs);
        Tunables.SHUTDOWN_GRACE_MS.check("shutdownGrace", shutdownGraceMs);
        Tunables.COMMIT_TIMEOUT_MS.check("commitTimeout", commitTimeoutMs);
        if (retryMaxMs < retryBaseMs) {
            throw new IllegalArgumentException("retryMax (" + retryMaxMs + " ms, RAPIDFIRE_RETRY_MAX_MS) is shorter "
                    + "than retryBase (" + retryBaseMs + " ms, RAPIDFIRE_RETRY_BASE_MS): raise retryMax or lower retryBase");
        }
    }

    public static Builder builder(String workerId) {
        return new Builder(workerId);
    }

    /** Named settings in any order; {@link #build()} validates them all. */
    public static final class Builder {
        private final String workerId;
        private long concurrency = Tunables.WORKER_CONCURRENCY.defaultValue();
        private long leaseMs = Tunables.LEASE_MS.defaultValue();
        private long maxAttempts = Tunables.MAX_ATTEMPTS.defaultValue();
        private long retryBaseMs = Tunables.RETRY_BASE_MS.defaultValue();
        private long retryMaxMs = Tunables.RETRY_MAX_MS.defaultValue();
        private long safetyPollMs = Tunables.SAFETY_POLL_MS.defaultValue();
        private long shutdownGraceMs = Tunables.SHUTDOWN_GRACE_MS.defaultValue();
        private long commitTimeoutMs = Tunables.COMMIT_TIMEOUT_MS.defaultValue();

        private Builder(String workerId) {
            this.workerId = workerId;
        }

        public Builder concurrency(int n) {
            concurrency = n;
            return this;
        }

        public Builder lease(Duration d) {
            leaseMs = d.toMillis();
            return this;
        }

        public Builder maxAttempts(int n) {
            maxAttempts = n;
            return this;
        }

        /** First retry delay and the longest one; the delay doubles each attempt, with jitter. */
        public Builder retryBackoff(Duration base, Duration max) {
            retryBaseMs = base.toMillis();
            retryMaxMs = max.toMillis();
            return this;
        }

        public Builder safetyPoll(Duration d) {
            safetyPollMs = d.toMillis();
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            shutdownGraceMs = d.toMillis();
            return this;
        }

        /** How long a batch the bot took with "commit later" stays supersedable without a commit. */
        public Builder commitTimeout(Duration d) {
            commitTimeoutMs = d.toMillis();
            return this;
        }

        public WorkerSettings build() {
            return new WorkerSettings(workerId, Tunables.WORKER_CONCURRENCY.checkInt("concurrency", concurrency),
                    leaseMs, Tunables.MAX_ATTEMPTS.checkInt("maxAttempts", maxAttempts), retryBaseMs, retryMaxMs,
                    safetyPollMs, shutdownGraceMs, commitTimeoutMs);
        }
    }
}
