package io.rapidfire.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.store.redis.RedisLink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registry in Redis, in the database the process uses: {@code <ns>:procs} (zset: id -> last heartbeat, Redis
 * clock) and {@code <ns>:proc:<id>} (hash). The hash has a TTL of many heartbeats so a dead process's entry
 * disappears by itself; only the registry, never a batch, depends on that TTL. On a Cluster these are ordinary
 * single-key commands routed to whichever master owns each key.
 */
public final class RedisRegistry implements Registry {
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private final RedisLink link;
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    /** Shares the store's connection (Lettuce connections are thread-safe); closing the store closes it. */
    public RedisRegistry(RedisLink link, RedisKeys keys) {
        this.link = link;
        this.redis = link.commands();
        this.keys = keys;
    }


    @Override
    public void heartbeat(ProcessInfo p, long clockOffsetMs) {
        long before = System.currentTimeMillis();
        long now = link.nowMs();
        long after = System.currentTimeMillis();
        long skew = (before + after) / 2 + clockOffsetMs - now;
        String key = keys.process(p.id());
        Map<String, String> h = new HashMap<>();
        h.put("role", p.role());
        h.put("pid", Long.toString(p.pid()));
        h.put("host", p.host());
        h.put("version", p.version());
        h.put("startedAt", Long.toString(p.startedAtMs()));
        h.put("lastSeen", Long.toString(now));
        h.put("inFlight", Long.toString(p.inFlight()));
        h.put("redis", p.redisAddress());
        h.put("db", Integer.toString(p.db()));
        h.put("runId", link.identity());
        h.put("namespace", p.namespace());
        h.put("clockSkewMs", Long.toString(skew));
        h.put("lastError", p.lastError() == null ? "" : p.lastError());
        h.put("lastErrorAt", Long.toString(p.lastErrorAtMs()));
        h.put("reconnects", Long.toString(p.reconnects()));
        h.put("heartbeatMs", Long.toString(p.heartbeatMs()));
        try {
            h.put("settings", MessageCodec.JSON.writeValueAsString(p.settings()));
        } catch (Exception e) {
            h.put("settings", "{}");
        }
        redis.hset(key, h);
        redis.pexpire(key, Math.max(60_000, p.heartbeatMs() * 30));
        redis.zadd(keys.processes(), now, p.id());
        redis.zremrangebyscore(keys.processes(), Range.create(0, now - 3_600_000));
    }

    @Override
    public List<ProcessInfo> live() {
        return read(link, keys, true);
    }

    @Override
    public List<ProcessInfo> all() {
        return read(link, keys, false);
    }

    /** Registered processes of the deployment {@code link} reaches (live only, or all known). */
    public static List<ProcessInfo> read(RedisLink link, RedisKeys keys, boolean liveOnly) {
        return read(link.commands(), link.nowMs(), keys, liveOnly);
    }

    /** Registered processes in the database {@code redis} is on, as of the Redis time {@code now}. */
    public static List<ProcessInfo> read(RedisClusterCommands<String, String> redis, long now, RedisKeys keys,
                                         boolean liveOnly) {
        List<ProcessInfo> out = new ArrayList<>();
        for (String id : redis.zrangebyscore(keys.processes(), Range.create(now - 3_600_000, Double.MAX_VALUE))) {
            Map<String, String> h = redis.hgetall(keys.process(id));
            if (h.isEmpty()) {
                continue;
            }
            ProcessInfo p = parse(id, h);
            if (!liveOnly || Registry.isLive(p, now)) {
                out.add(p);
            }
        }
        return out;
    }

    static ProcessInfo parse(String id, Map<String, String> h) {
        Map<String, String> settings;
        try {
            settings = MessageCodec.JSON.readValue(h.getOrDefault("settings", "{}"), MAP);
        } catch (Exception e) {
            settings = Map.of();
        }
        return new ProcessInfo(id, h.getOrDefault("role", "?"), num(h, "pid"), h.getOrDefault("host", "?"),
                h.getOrDefault("version", "?"), num(h, "startedAt"), num(h, "lastSeen"), num(h, "inFlight"),
                h.getOrDefault("redis", ""), (int) num(h, "db"), h.getOrDefault("runId", ""),
                h.getOrDefault("namespace", ""), num(h, "clockSkewMs"), h.getOrDefault("lastError", ""),
                num(h, "lastErrorAt"), num(h, "reconnects"), num(h, "heartbeatMs"), settings);
    }

    private static long num(Map<String, String> h, String k) {
        try {
            return Long.parseLong(h.getOrDefault(k, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void remove(String id) {
        redis.zrem(keys.processes(), id);
        redis.del(keys.process(id));
    }

    @Override
    public void close() {
        // the connection belongs to the store
    }
}
