package io.rapidfire.ops;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.store.redis.RedisLink;

import java.util.ArrayList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a process should know about the Redis it uses, read once (startup line, startup checks, doctor). */
public record RedisServerFacts(String address, int db, String version, String runId, String maxmemoryPolicy,
                               boolean aof, String save, int databases, int port, int connectedReplicas,
                               long usedMemory, long maxmemory, String replicaOf, String persistenceError) {

    /** Facts of every master (one for a single server or Sentinel); a master that is down is left out. */
    public static List<RedisServerFacts> readMasters(RedisLink link) {
        List<RedisServerFacts> out = new ArrayList<>();
        for (RedisLink.Server s : link.masters()) {
            if (s.up()) {
                out.add(read(s.commands()));
            }
        }
        return out;
    }

    public static RedisServerFacts read(RedisClusterCommands<String, String> r) {
        Map<String, String> info = section(r, "server");
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
                Integer.parseInt(info.getOrDefault("tcp_port", "0")), connectedReplicas(r), usedMemory(r),
                parseLong(config(r, "maxmemory")), replicaOf(r), persistenceError(r));
    }

    /** "host:port" of its master when this server is a (read-only) replica, else empty. */
    private static String replicaOf(RedisClusterCommands<String, String> r) {
        Map<String, String> repl = section(r, "replication");
        if (!"slave".equals(repl.get("role"))) {
            return "";
        }
        return repl.getOrDefault("master_host", "?") + ":" + repl.getOrDefault("master_port", "?");
    }

    /**
     * Why this server refuses writes for want of persistence (the MISCONF error), or empty: a failed background
     * save while {@code stop-writes-on-bgsave-error} is on, or a failed AOF write.
     */
    private static String persistenceError(RedisClusterCommands<String, String> r) {
        Map<String, String> p = section(r, "persistence");
        if ("err".equals(p.get("rdb_last_bgsave_status")) && "yes".equals(config(r, "stop-writes-on-bgsave-error"))) {
            return "the last background save failed (rdb_last_bgsave_status:err) and stop-writes-on-bgsave-error is yes";
        }
        if ("err".equals(p.get("aof_last_write_status"))) {
            return "the last AOF write failed (aof_last_write_status:err)";
        }
        return "";
    }

    private static Map<String, String> section(RedisClusterCommands<String, String> r, String name) {
        Map<String, String> out = new HashMap<>();
        for (String line : r.info(name).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** Percent of maxmemory in use, or -1 without a limit. */
    public int memoryPercent() {
        return maxmemory <= 0 ? -1 : (int) Math.min(100, usedMemory * 100 / maxmemory);
    }

    private static long usedMemory(RedisClusterCommands<String, String> r) {
        return r.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
                .mapToLong(l -> parseLong(l.substring(12))).findFirst().orElse(0);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int connectedReplicas(RedisClusterCommands<String, String> r) {
        return r.info("replication").lines().filter(l -> l.startsWith("connected_slaves:"))
                .mapToInt(l -> Integer.parseInt(l.substring(17).trim())).findFirst().orElse(0);
    }

    static String config(RedisClusterCommands<String, String> r, String name) {
        Map<String, String> m = r.configGet(name);
        return m.getOrDefault(name, "");
    }
}
