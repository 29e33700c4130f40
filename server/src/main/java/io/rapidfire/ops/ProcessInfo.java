package io.rapidfire.ops;

import java.util.Map;

/**
 * One registered Rapidfire process, as its last heartbeat described it (DESIGN.md invariant 10).
 *
 * @param redisAddress host:port the process connects to (from its REDIS_URL)
 * @param db           the database number it uses
 * @param runId        the run_id of the Redis server it reached (same address can still be another server)
 * @param clockSkewMs  this process's clock minus the Redis clock at the last heartbeat
 * @param settings     its settings, secrets replaced by "***#hash" (see SettingGroups.published)
 * @param heartbeatMs  how often it heartbeats; it counts as live for 5 of those
 */
public record ProcessInfo(String id, String role, long pid, String host, String version, long startedAtMs,
                          long lastSeenMs, long inFlight, String redisAddress, int db, String runId, String namespace,
                          long clockSkewMs, String lastError, long lastErrorAtMs, long reconnects, long heartbeatMs,
                          Map<String, String> settings) {

    public static ProcessInfo basic(String id, String role, long pid, String host) {
        return new ProcessInfo(id, role, pid, host, "0.1.0", System.currentTimeMillis(), 0, 0, "", 0, "", "", 0, "",
                0, 0, 2_000, Map.of());
    }

    public boolean delivers() {
        return role.equals("worker") || role.equals("standalone");
    }

    public boolean ingests() {
        return role.equals("api") || role.equals("standalone");
    }

    public String describe() {
        return role + " pid " + pid + " on host " + host;
    }

    ProcessInfo seenAt(long ms, String runId, long skewMs) {
        return new ProcessInfo(id, role, pid, host, version, startedAtMs, ms, inFlight, redisAddress, db, runId, namespace,
                skewMs, lastError, lastErrorAtMs, reconnects, heartbeatMs, settings);
    }
}
