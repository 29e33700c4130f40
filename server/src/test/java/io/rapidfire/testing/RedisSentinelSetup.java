package io.rapidfire.testing;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** A real master, one replica and one Sentinel watching them (quorum 1), each a redis-server process. */
public final class RedisSentinelSetup implements AutoCloseable {
    public static final String MASTER_NAME = "rfmaster";
    private final RedisServer master;
    private final RedisServer replica;
    private final RedisServer sentinel;

    private RedisSentinelSetup(RedisServer master, RedisServer replica, RedisServer sentinel) {
        this.master = master;
        this.replica = replica;
        this.sentinel = sentinel;
    }

    public static RedisSentinelSetup start() {
        RedisServer master = RedisServer.start("--appendonly", "yes", "--repl-diskless-sync-delay", "0");
        RedisServer replica = RedisServer.start("--appendonly", "yes", "--repl-diskless-sync-delay", "0",
                "--replicaof", "127.0.0.1", Integer.toString(master.port()));
        RedisServer sentinel = RedisServer.startSentinel(MASTER_NAME, master.port());
        RedisSentinelSetup s = new RedisSentinelSetup(master, replica, sentinel);
        await("the replica in sync and known to the Sentinel").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> RedisCluster.on(master, r -> r.info("replication")).contains("state=online")
                        && RedisCluster.on(sentinel, r -> r.info("sentinel")).contains("slaves=1"));
        return s;
    }

    public String url() {
        return "redis-sentinel://127.0.0.1:" + sentinel.port() + "/0?masterName=" + MASTER_NAME;
    }

    public RedisServer master() {
        return master;
    }

    public RedisServer replica() {
        return replica;
    }

    public RedisServer sentinel() {
        return sentinel;
    }

    @Override
    public void close() {
        sentinel.close();
        replica.close();
        master.close();
    }
}
