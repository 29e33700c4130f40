package io.rapidfire.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A real local Redis Cluster: {@code masters} redis-server processes with {@code cluster-enabled yes} on free
 * ports, each with {@code replicasPerMaster} replicas. The test builds it the way an operator would with
 * redis-cli: CLUSTER ADDSLOTS (even ranges), CLUSTER MEET, CLUSTER REPLICATE, then waits for
 * {@code cluster_state:ok} everywhere. A short {@code cluster-node-timeout} makes fail-overs take about a second.
 */
public final class RedisCluster implements AutoCloseable {
    public static final int NODE_TIMEOUT_MS = 1_000;
    private final List<RedisServer> nodes = new ArrayList<>();
    private final int masters;

    private RedisCluster(int masters) {
        this.masters = masters;
    }

    public static RedisCluster start(int masters, int replicasPerMaster) {
        RedisCluster c = new RedisCluster(masters);
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                c.nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS), "--appendonly", "yes",
                        "--appendfsync", "everysec", "--repl-diskless-sync-delay", "0"));
            }
            c.build(replicasPerMaster);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void build(int replicasPerMaster) {
        int per = SlotHash.SLOT_COUNT / masters;
        for (int m = 0; m < masters; m++) {
            int from = m * per;
            int to = m == masters - 1 ? SlotHash.SLOT_COUNT - 1 : from + per - 1;
            int[] slots = new int[to - from + 1];
            for (int s = from; s <= to; s++) {
                slots[s - from] = s;
            }
            on(nodes.get(m), r -> r.clusterAddSlots(slots));
        }
        RedisServer first = nodes.get(0);
        for (RedisServer n : nodes.subList(1, nodes.size())) {
            on(n, r -> r.clusterMeet("127.0.0.1", first.port()));
        }
        awaitUntil("every node knows all " + nodes.size() + " nodes", () -> nodes.stream().allMatch(n ->
                on(n, r -> r.clusterNodes().lines().filter(l -> !l.contains("handshake")).count()) == nodes.size()));
        for (int i = masters; i < nodes.size(); i++) {
            String masterId = on(nodes.get((i - masters) % masters), RedisCommands::clusterMyId);
            on(nodes.get(i), r -> r.clusterReplicate(masterId));
        }
        awaitOk();
        if (replicasPerMaster > 0) {
            awaitUntil("every replica in sync with its master", () -> nodes.subList(0, masters).stream().allMatch(m ->
                    on(m, r -> r.info("replication")).split("state=online", -1).length - 1 == replicasPerMaster));
        }
    }

    /** Waits until every live node says cluster_state:ok and agrees that each master has its replicas. */
    public void awaitOk() {
        awaitUntil("cluster_state:ok on every node", () -> nodes.stream().filter(RedisServer::isAlive).allMatch(n ->
                on(n, r -> r.clusterInfo()).contains("cluster_state:ok")));
    }

    public String url() {
        return "redis-cluster://" + nodes.stream().limit(2).map(n -> "127.0.0.1:" + n.port())
                .collect(Collectors.joining(","));
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The node currently serving {@code key}'s slot as master (asked of a live node). */
    public RedisServer masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        RedisServer any = nodes.stream().filter(RedisServer::isAlive).findFirst().orElseThrow();
        for (String line : on(any, r -> r.clusterNodes()).split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                int a = Integer.parseInt(range[0]);
                int b = range.length > 1 ? Integer.parseInt(range[1]) : a;
                if (slot >= a && slot <= b) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** A replica of the master {@code master}. */
    public RedisServer replicaOf(RedisServer master) {
        String id = on(master, RedisCommands::clusterMyId);
        return nodes.stream().filter(n -> n != master && n.isAlive()
                && on(n, r -> r.clusterNodes()).lines().anyMatch(l -> l.contains("myself") && l.contains("slave " + id)))
                .findFirst().orElseThrow(() -> new IllegalStateException("master " + master.port() + " has no replica"));
    }

    public static <T> T on(RedisServer n, Function<RedisCommands<String, String>, T> f) {
        RedisURI u = RedisURI.create("127.0.0.1", n.port());
        u.setTimeout(Duration.ofSeconds(5));
        RedisClient c = RedisClient.create(u);
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            return f.apply(conn.sync());
        } finally {
            c.shutdown(Duration.ZERO, Duration.ZERO);
        }
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier ok) {
        org.awaitility.Awaitility.await("Redis Cluster: " + what).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(ok::getAsBoolean);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
