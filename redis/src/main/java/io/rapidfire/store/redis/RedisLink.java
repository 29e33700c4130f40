package io.rapidfire.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rapidfire.store.redis.RedisConnector.Target;
import io.rapidfire.store.redis.RedisConnector.Topology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One process's way to Redis, whatever {@code REDIS_URL} names (see {@link RedisConnector}). Everything
 * Rapidfire sends is either key-routed (every script's keys share one hash slot, so a Cluster routes it to the
 * slot's master) or asks one server about itself, which is what {@link #masters()} is for.
 *
 * <p>Cluster: Lettuce refreshes the topology periodically and adaptively (on MOVED/ASK redirects, persistent
 * reconnects and uncovered slots), and reads and writes go to masters only; a replica's copy may be behind.
 * While a slot has no reachable master, commands for it fail at once (DisconnectedBehavior.REJECT_COMMANDS):
 * a webhook then answers 503 instead of hanging until the platform gives up.
 */
public final class RedisLink implements AutoCloseable {
    private final Target target;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;
    private final String description;

    /** One server that answers server-level questions (INFO, CONFIG GET, CLIENT LIST); {@code commands} is null when down. */
    public record Server(String address, String nodeId, RedisClusterCommands<String, String> commands, String error) {
        public boolean up() {
            return commands != null;
        }
    }

    private RedisLink(Target target, AbstractRedisClient client, StatefulConnection<String, String> connection,
                      RedisClusterCommands<String, String> commands, String description) {
        this.target = target;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.description = description;
    }

    /**
     * @param topologyRefresh how often a Cluster's slot map is re-read even without a hint that it changed
     * @throws RedisException when no server (or no cluster seed) can be reached
     */
    public static RedisLink open(String url, String clientName, Duration timeout, Duration topologyRefresh) {
        Target t = RedisConnector.target(url);
        String description = "redis " + RedisConnector.describe(url);
        for (RedisURI u : t.uris()) {
            u.setClientName(clientName);
            u.setTimeout(timeout);
        }
        if (t.topology() == Topology.CLUSTER) {
            RedisClusterClient c = RedisClusterClient.create(t.uris());
            c.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(topologyRefresh)
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                            .refreshTriggersReconnectAttempts(3)
                            .build())
                    .build());
            try {
                StatefulRedisClusterConnection<String, String> conn = c.connect();
                conn.setReadFrom(ReadFrom.UPSTREAM);
                return new RedisLink(t, c, conn, conn.sync(), description);
            } catch (RedisException e) {
                c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                throw e;
            }
        }
        RedisClient c = RedisClient.create(t.first());
        c.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        try {
            StatefulRedisConnection<String, String> conn = c.connect();
            return new RedisLink(t, c, conn, conn.sync(), description);
        } catch (RedisException e) {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw e;
        }
    }

    public Topology topology() {
        return target.topology();
    }

    public Target target() {
        return target;
    }

    /** Key-routed commands on the shared, thread-safe connection. */
    public RedisClusterCommands<String, String> commands() {
        return commands;
    }

    /** The same connection, asynchronous: for callers that must not hold a thread while Redis answers. */
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, String> asyncCommands() {
        if (connection instanceof StatefulRedisClusterConnection<?, ?> c) {
            return ((StatefulRedisClusterConnection<String, String>) c).async();
        }
        return ((StatefulRedisConnection<String, String>) connection).async();
    }

    /**
     * The event loops this client's connections run on (Netty NIO), for a server to share: its requests' appends are
     * then answered on the loop they came in on. Held until {@link #close}.
     */
    public io.netty.channel.EventLoopGroup eventLoops() {
        return client.getResources().eventLoopGroupProvider().allocate(io.netty.channel.nio.NioEventLoopGroup.class);
    }

    public EventBus events() {
        return client.getResources().eventBus();
    }

    public String describe() {
        return description;
    }

    /**
     * The masters: the one server, the master Sentinel names, or every master of the Cluster (topology re-read
     * first). A master that cannot be reached is listed with its error, so that callers can name it.
     */
    public List<Server> masters() {
        if (target.topology() != Topology.CLUSTER) {
            RedisURI u = target.first();
            String address = target.topology() == Topology.SENTINEL ? "master '" + target.masterName() + "'"
                    : u.getHost() + ":" + u.getPort();
            return List.of(new Server(address, "", commands, null));
        }
        RedisClusterClient c = (RedisClusterClient) client;
        StatefulRedisClusterConnection<String, String> cc = (StatefulRedisClusterConnection<String, String>) connection;
        c.refreshPartitions();
        List<Server> out = new ArrayList<>();
        for (RedisClusterNode n : c.getPartitions()) {
            if (!n.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                continue;
            }
            String address = n.getUri().getHost() + ":" + n.getUri().getPort();
            try {
                RedisClusterCommands<String, String> node = cc.getConnection(n.getNodeId()).sync();
                node.ping();
                out.add(new Server(address, n.getNodeId(), node, null));
            } catch (RedisException e) {
                out.add(new Server(address, n.getNodeId(), null, String.valueOf(e.getMessage())));
            }
        }
        return out;
    }

    /** The cluster's nodes as the client sees them after a refresh (empty when not a cluster). */
    public List<RedisClusterNode> clusterNodes() {
        if (target.topology() != Topology.CLUSTER) {
            return List.of();
        }
        RedisClusterClient c = (RedisClusterClient) client;
        c.refreshPartitions();
        return new ArrayList<>(c.getPartitions().getPartitions());
    }

    /**
     * The Redis clock in ms. A Cluster sends TIME (a keyless command) to its default node, which may be the one
     * that is down; here every master is asked in turn until one answers.
     */
    public long nowMs() {
        if (target.topology() != Topology.CLUSTER) {
            return toMs(commands.time());
        }
        StatefulRedisClusterConnection<String, String> cc = (StatefulRedisClusterConnection<String, String>) connection;
        RedisException last = null;
        for (RedisClusterNode n : cc.getPartitions()) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.is(RedisClusterNode.NodeFlag.FAIL)) {
                try {
                    return toMs(cc.getConnection(n.getNodeId()).sync().time());
                } catch (RedisException e) {
                    last = e;
                }
            }
        }
        throw last != null ? last : new RedisException("no master of the cluster answers TIME");
    }

    public static long toMs(List<String> time) {
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    /**
     * What identifies "the same Redis" across processes: a server's run_id, or for a Cluster a digest of all its
     * node ids (stable across fail-overs, which only swap roles).
     */
    public String identity() {
        if (target.topology() != Topology.CLUSTER) {
            for (String line : commands.info("server").split("\r?\n")) {
                if (line.startsWith("run_id:")) {
                    return line.substring(7).trim();
                }
            }
            return "?";
        }
        List<String> ids = new ArrayList<>(((RedisClusterClient) client).getPartitions().getPartitions().stream()
                .map(RedisClusterNode::getNodeId).sorted().toList());
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(String.join(",", ids).getBytes(StandardCharsets.UTF_8));
            return "cluster-" + HexFormat.of().formatHex(d).substring(0, 12);
        } catch (Exception e) {
            return "cluster-?";
        }
    }

    /**
     * Runs {@code write} on the connection to the master that owns {@code key} (given its asynchronous commands,
     * since scripts run on one asynchronous path: {@link LuaScripts#call}), then {@code WAIT replicas timeoutMs} on
     * the same connection (WAIT covers the writes its own connection sent before it) when {@code wrote} says the
     * result changed something worth confirming.
     *
     * @return the write's result and how many replicas confirmed it ({@code replicas} when nothing needed WAIT)
     */
    public <T> Replicated<T> writeAndWait(String key, int replicas, long timeoutMs,
                                          Function<RedisClusterAsyncCommands<String, String>, T> write,
                                          java.util.function.Predicate<T> wrote) {
        if (target.topology() != Topology.CLUSTER) {
            T r = write.apply(asyncCommands());
            return new Replicated<>(r, wrote.test(r) ? commands.waitForReplication(replicas, timeoutMs) : replicas);
        }
        try {
            return onSlotMaster(key, replicas, timeoutMs, write, wrote);
        } catch (RedisCommandExecutionException e) {
            if (String.valueOf(e.getMessage()).startsWith("MOVED")) {
                ((RedisClusterClient) client).refreshPartitions();
                return onSlotMaster(key, replicas, timeoutMs, write, wrote);
            }
            throw e;
        }
    }

    public record Replicated<T>(T result, long replicas) {
    }

    private <T> Replicated<T> onSlotMaster(String key, int replicas, long timeoutMs,
                                           Function<RedisClusterAsyncCommands<String, String>, T> write,
                                           java.util.function.Predicate<T> wrote) {
        StatefulRedisClusterConnection<String, String> cc = (StatefulRedisClusterConnection<String, String>) connection;
        int slot = SlotHash.getSlot(key);
        RedisClusterNode master = cc.getPartitions().getMasterBySlot(slot);
        if (master == null) {
            throw new RedisException("no master owns hash slot " + slot + " (key " + key + ") right now");
        }
        StatefulRedisConnection<String, String> connectionToMaster = cc.getConnection(master.getNodeId());
        RedisClusterCommands<String, String> node = connectionToMaster.sync();
        T r = write.apply(connectionToMaster.async());
        return new Replicated<>(r, wrote.test(r) ? node.waitForReplication(replicas, timeoutMs) : replicas);
    }

    /**
     * Subscribes to {@code channel}. On a Cluster a PUBLISH reaches every node, so one subscription on any node
     * hears all of them; if that node goes away the worker's safety poll covers the gap until it is back.
     */
    public AutoCloseable subscribe(String channel, BiConsumer<String, String> listener) {
        StatefulRedisPubSubConnection<String, String> sub = client instanceof RedisClusterClient c
                ? c.connectPubSub() : ((RedisClient) client).connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                listener.accept(ch, message);
            }
        });
        sub.sync().subscribe(channel);
        return sub::close;
    }

    /** A separate connection to the one server (not for a Cluster): for SELECTing other databases. */
    public StatefulRedisConnection<String, String> connectSingle() {
        if (!(client instanceof RedisClient c)) {
            throw new IllegalStateException("a Redis Cluster has only database 0");
        }
        return c.connect();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
