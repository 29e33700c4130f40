package io.rapidfire.ops.doctor;

import io.rapidfire.ops.RedisServerFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The doctor's "redis-settings" line. Every master's eviction and persistence settings (the guide's "batches vanish": an evicting Redis), and a Redis
 * version this release is tested with.
 */
final class RedisSettingsCheck implements DoctorCheck {
    @Override
    public String name() {
        return "redis-settings";
    }

    @Override
    public Check run(Inspection in) {
        return redisSettings(in, in.facts());
    }

    /** Every master's eviction and persistence settings; the worst verdict wins and names the master. */
    private static Check redisSettings(Inspection in, List<RedisServerFacts> masters) {
        List<Check> each = new ArrayList<>();
        for (RedisServerFacts f : masters) {
            each.add(redisSettings(in, f, masters.size() > 1 ? f.address() + ": " : ""));
        }
        Check worst = each.stream().max(java.util.Comparator.comparing(Check::status)).orElseThrow();
        String evidence = each.stream().map(Check::evidence).collect(Collectors.joining("; "));
        return new Check("redis-settings", worst.status(), evidence, worst.fix()
                + (masters.size() > 1 && !worst.fix().isEmpty() ? " (on every master and replica)" : ""));
    }

    private static Check redisSettings(Inspection in, RedisServerFacts f, String who) {
        List<String> problems = new ArrayList<>();
        String evidence = who + "maxmemory-policy " + f.maxmemoryPolicy() + ", appendonly " + (f.aof() ? "yes" : "no")
                + ", save \"" + f.save() + "\", redis " + f.version();
        if (!f.replicaOf().isEmpty()) {
            return Check.fail("redis-settings", evidence + ": this is a read-only replica of " + f.replicaOf()
                    + "; every write is refused (READONLY) and webhooks answer 503 store_read_only",
                    "point REDIS_URL at the master (" + f.replicaOf() + "), or use a redis-sentinel:// URL");
        }
        if (!f.persistenceError().isEmpty()) {
            return Check.fail("redis-settings", evidence + ": Redis refuses writes (MISCONF): " + f.persistenceError()
                    + "; webhooks answer 503 store_persistence_failed", "fix Redis persistence (disk space and "
                    + "permissions of its dir; the Redis log says why), then BGSAVE");
        }
        if (!f.maxmemoryPolicy().equals("noeviction")) {
            return Check.fail("redis-settings", evidence + ": Redis may EVICT keys under memory pressure, and Rapidfire's "
                    + "keys are the pending batches (the guide's \"batches vanish\")",
                    "CONFIG SET maxmemory-policy noeviction, and set it in redis.conf");
        }
        int full = f.memoryPercent();
        evidence += full < 0 ? ", no maxmemory" : ", memory " + full + "% of maxmemory";
        if (full >= 95) {
            return Check.fail("redis-settings", evidence + ": Redis is full and refuses writes (OOM): webhooks answer 503 "
                    + "\"the batch store is full\" and nothing new is stored", "free memory (deliver or clear the backlog, "
                    + "remove foreign keys) or raise maxmemory: CONFIG SET maxmemory <bytes>, and in redis.conf");
        }
        if (full >= 80) {
            problems.add("memory at " + full + "% of maxmemory: at 100% new messages are refused (503)");
        }
        if (!f.aof() && f.save().isBlank()) {
            return Check.warn("redis-settings", evidence + ": no persistence, a Redis restart loses every pending batch",
                    "CONFIG SET appendonly yes (and in redis.conf)");
        }
        if (olderThan(f.version(), 6, 2)) {
            problems.add("Redis older than 6.2 is not tested");
        }
        return problems.isEmpty() ? Check.pass("redis-settings", evidence)
                : Check.warn("redis-settings", evidence + "; " + String.join("; ", problems),
                        "upgrade Redis to 6.2 or later; keep memory below maxmemory (raise it, or clear the backlog)");
    }

    /** Numeric, part by part: "10.0.1" is newer than "6.2" (a string comparison says otherwise). */
    static boolean olderThan(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma < major || ma == major && mi < minor;
        } catch (NumberFormatException e) {
            return false; // an unusual version string (a fork's): not worth a warning
        }
    }
}
