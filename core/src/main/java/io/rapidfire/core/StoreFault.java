package io.rapidfire.core;

/**
 * Why the store did not take a write, by name: the webhook's 503 says it (field {@code reason} and the text),
 * the metric {@code rapidfire_requests_rejected_total{reason}} counts it, and the doctor checks for it. In every
 * case nothing is known to be stored and the platform's retry of the same request is stored once.
 */
public enum StoreFault {
    /** Connection refused, closed or reset; or no connection yet. */
    UNAVAILABLE("unavailable", "the batch store is unavailable (%s)",
            "check that Redis is up and reachable at REDIS_URL"),
    /** The command was sent but not answered within the command timeout (a stalled network or a blocked Redis). */
    TIMEOUT("store_timeout", "the batch store did not answer in time (%s)",
            "check the network to Redis and whether Redis is blocked (SLOWLOG, latency); RAPIDFIRE_REDIS_TIMEOUT_MS "
                    + "sets how long a webhook waits"),
    /** maxmemory reached under noeviction. */
    FULL("store_full", "the batch store is full (%s reached maxmemory; it evicts nothing)",
            "the operator must free memory or raise maxmemory"),
    /** REDIS_URL names a replica, or the master was demoted. */
    READ_ONLY("store_read_only", "the batch store is a read-only replica (%s)",
            "point REDIS_URL at the master, or use a redis-sentinel:// URL so that Rapidfire follows fail-overs"),
    /** Redis stops writes after a failed background save (MISCONF) or a failed AOF write. */
    PERSISTENCE_FAILED("store_persistence_failed", "the batch store refuses writes because it cannot persist "
            + "(%s: its last background save or AOF write failed)",
            "fix Redis persistence (disk space and permissions of its dir; the Redis log says why), then BGSAVE"),
    /** Written on the master, but fewer replicas than RAPIDFIRE_WAIT_REPLICAS confirmed it. */
    NOT_REPLICATED("not_replicated", "the batch store's master has it, but fewer replicas than RAPIDFIRE_WAIT_REPLICAS "
            + "confirmed it in time (%s)", "check the replicas (INFO replication) or lower RAPIDFIRE_WAIT_REPLICAS");

    private final String reason;
    private final String what;
    private final String fix;

    StoreFault(String reason, String what, String fix) {
        this.reason = reason;
        this.what = what;
        this.fix = fix;
    }

    /** The name in answers, metrics and logs. */
    public String reason() {
        return reason;
    }

    /** What happened, naming the store, e.g. "the batch store is full (redis 127.0.0.1:6379 reached ...)". */
    public String what(String store) {
        return String.format(what, store);
    }

    /** What the operator does about it. */
    public String fix() {
        return fix;
    }
}
