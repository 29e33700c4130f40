package io.rapidfire.ops;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.rapidfire.store.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registry in Redis: {@code <ns>:procs} (zset: id -> last heartbeat, Redis clock) and {@code <ns>:proc:<id>}
 * (hash, TTL of a few heartbeats: a dead process's entry disappears by itself; only the registry, never a
 * batch, depends on that TTL).
 */
public final class RedisRegistry implements Registry {
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final RedisKeys keys;

    public RedisRegistry(RedisClient client, RedisKeys keys) {
        this.connection = client.connect();
        this.redis = connection.sync();
        this.keys = keys;
    }

    private long now() {
        List<String> t = redis.time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    @Override
    public void heartbeat(ProcessInfo p) {
        long now = now();
        String key = keys.process(p.id());
        redis.hset(key, Map.of("role", p.role(), "pid", Long.toString(p.pid()), "host", p.host(),
                "version", p.version(), "startedAt", Long.toString(p.startedAtMs()), "lastSeen", Long.toString(now),
                "inFlight", Long.toString(p.inFlight())));
        redis.pexpire(key, LIVE_MS * 6);
        redis.zadd(keys.processes(), now, p.id());
        redis.zremrangebyscore(keys.processes(), Range.create(0, now - LIVE_MS * 6));
    }

    @Override
    public List<ProcessInfo> live(long maxAgeMs) {
        long now = now();
        List<ProcessInfo> out = new ArrayList<>();
        for (String id : redis.zrangebyscore(keys.processes(), Range.create(now - maxAgeMs, Double.MAX_VALUE))) {
            Map<String, String> h = redis.hgetall(keys.process(id));
            if (h.isEmpty()) {
                continue;
            }
            out.add(new ProcessInfo(id, h.getOrDefault("role", "?"), Long.parseLong(h.getOrDefault("pid", "0")),
                    h.getOrDefault("host", "?"), h.getOrDefault("version", "?"),
                    Long.parseLong(h.getOrDefault("startedAt", "0")), Long.parseLong(h.getOrDefault("lastSeen", "0")),
                    Long.parseLong(h.getOrDefault("inFlight", "0"))));
        }
        return out;
    }

    @Override
    public void remove(String id) {
        redis.zrem(keys.processes(), id);
        redis.del(keys.process(id));
    }

    @Override
    public void close() {
        connection.close();
    }
}
