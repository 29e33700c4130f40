package io.rapidfire.core;

/**
 * The engine's numeric settings: one list of names, defaults and ranges. {@code config.Setting} (what the CLI,
 * environment and config files accept), {@link Policy}, the store builders and {@code WorkerSettings} all read
 * them from here.
 */
public final class Tunables {
    private Tunables() {
    }

    public static final long DAY_MS = 86_400_000L;

    // Release policy (Policy): when an open batch is released.
    public static final Tunable QUIET_MS = new Tunable("RAPIDFIRE_QUIET_MS", 5_000, 0, DAY_MS);
    public static final Tunable MAX_WAIT_MS = new Tunable("RAPIDFIRE_MAX_WAIT_MS", 30_000, 1, DAY_MS);
    /** Kept small so a claim (which copies one batch inside one Lua call) stays cheap. */
    public static final Tunable MAX_MESSAGES = new Tunable("RAPIDFIRE_MAX_MESSAGES", 10, 1, 1_000);
    public static final Tunable MAX_BYTES = new Tunable("RAPIDFIRE_MAX_BYTES", 16 * 1024, 1, 1_048_576);
    /** After the person stops typing (docs/release-rules.md): long enough for a "composing" to follow a send. */
    public static final Tunable TYPING_GRACE_MS = new Tunable("RAPIDFIRE_TYPING_GRACE_MS", 1_000, 0, 60_000);
    /**
     * A "composing" not refreshed within this is stale. WhatsApp clears a typing indicator after about 5-10 s
     * without a refresh; Telegram's typing action lasts 6 s. Above both so one lost refresh does not release.
     */
    public static final Tunable TYPING_TIMEOUT_MS = new Tunable("RAPIDFIRE_TYPING_TIMEOUT_MS", 10_000, 1_000, 600_000);
    public static final Tunable ADAPTIVE_FLOOR_MS = new Tunable("RAPIDFIRE_ADAPTIVE_FLOOR_MS", 1_000, 0, DAY_MS);
    /** Added to the time rule after a photo, voice note or file with no words, for the words that usually follow. */
    public static final Tunable MEDIA_GRACE_MS = new Tunable("RAPIDFIRE_MEDIA_GRACE_MS", 0, 0, 600_000);
    /**
     * One answer per thought (docs/release-rules.md): a commit succeeds no sooner than this after the
     * conversation's last message. The bot's LLM works during the wait, so it buys fewer cut thoughts with answer
     * time, not with release delay. 0: no floor.
     */
    public static final Tunable COMMIT_NOT_BEFORE_MS = new Tunable("RAPIDFIRE_COMMIT_NOT_BEFORE_MS", 0, 0, 600_000);

    // Store.
    public static final Tunable PARTITIONS = new Tunable("RAPIDFIRE_PARTITIONS", 16, 1, 4_096);
    public static final Tunable DEDUP_WINDOW_MS = new Tunable("RAPIDFIRE_DEDUP_WINDOW_MS", DAY_MS, 60_000,
            30 * DAY_MS);
    public static final Tunable REDIS_TIMEOUT_MS = new Tunable("RAPIDFIRE_REDIS_TIMEOUT_MS", 2_000, 10, 60_000);
    public static final Tunable WAIT_REPLICAS = new Tunable("RAPIDFIRE_WAIT_REPLICAS", 0, 0, 16);
    public static final Tunable WAIT_TIMEOUT_MS = new Tunable("RAPIDFIRE_WAIT_TIMEOUT_MS", 1_000, 1, 60_000);
    public static final Tunable CLUSTER_REFRESH_MS = new Tunable("RAPIDFIRE_CLUSTER_REFRESH_MS", 5_000, 100, 600_000);

    // Worker.
    public static final Tunable WORKER_CONCURRENCY = new Tunable("RAPIDFIRE_WORKER_CONCURRENCY", 256, 1, 4_096);
    public static final Tunable LEASE_MS = new Tunable("RAPIDFIRE_LEASE_MS", 30_000, 1_000, 3_600_000);
    public static final Tunable MAX_ATTEMPTS = new Tunable("RAPIDFIRE_MAX_ATTEMPTS", 8, 1, 100);
    public static final Tunable RETRY_BASE_MS = new Tunable("RAPIDFIRE_RETRY_BASE_MS", 1_000, 1, 3_600_000);
    public static final Tunable RETRY_MAX_MS = new Tunable("RAPIDFIRE_RETRY_MAX_MS", 300_000, 1, DAY_MS);
    public static final Tunable SAFETY_POLL_MS = new Tunable("RAPIDFIRE_SAFETY_POLL_MS", 1_000, 10, 60_000);
    /**
     * A batch the bot took with 202 and {@code Rapidfire-Commit: later} (or that a BullMQ or stream consumer holds)
     * stays supersedable until the bot commits or this passes; then it counts as committed.
     */
    public static final Tunable COMMIT_TIMEOUT_MS = new Tunable("RAPIDFIRE_COMMIT_TIMEOUT_MS", 120_000, 1_000, DAY_MS);
    public static final Tunable SHUTDOWN_GRACE_MS = new Tunable("RAPIDFIRE_SHUTDOWN_GRACE_MS", 10_000, 0, 600_000);

    /** Text defaults. */
    public static final String DEFAULT_NAMESPACE = "rf";
    public static final String DEFAULT_JOINER = " ";
}
