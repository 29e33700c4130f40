package io.rapidfire.ops;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a process should know about the Redis it uses, read once (startup line, startup checks, doctor). */
public record RedisServerFacts(String address, int db, String version, String runId, String maxmemoryPolicy,
                               boolean aof, String save, int databases, int port) {

    public static RedisServerFacts read(RedisClient client) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return read(c.sync(), client);
        }
    }

    static RedisServerFacts read(RedisCommands<String, String> r, RedisClient client) {
        Map<String, String> info = new HashMap<>();
        for (String line : r.info("server").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                info.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        String db = "0";
        List<String> clientInfo = List.of(r.clientInfo().split(" "));
        for (String kv : clientInfo) {
            if (kv.startsWith("db=")) {
                db = kv.substring(3).trim();
            }
        }
        String host = "?";
        for (String kv : clientInfo) {
            if (kv.startsWith("laddr=")) {
                host = kv.substring(6).trim();
            }
        }
        return new RedisServerFacts(host, Integer.parseInt(db), info.getOrDefault("redis_version", "?"),
                info.getOrDefault("run_id", "?"), config(r, "maxmemory-policy"), "yes".equals(config(r, "appendonly")),
                config(r, "save"), Integer.parseInt(config(r, "databases").isEmpty() ? "16" : config(r, "databases")),
                Integer.parseInt(info.getOrDefault("tcp_port", "0")));
    }

    static String config(RedisCommands<String, String> r, String name) {
        Map<String, String> m = r.configGet(name);
        return m.getOrDefault(name, "");
    }
}
