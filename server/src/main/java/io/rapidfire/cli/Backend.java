package io.rapidfire.cli;

import io.rapidfire.core.Batch;
import java.util.function.Function;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.core.BatchStore;
import io.rapidfire.delivery.Sink;
import io.rapidfire.delivery.stream.StreamSink;
import io.rapidfire.delivery.bullmq.BullmqQueues;
import io.rapidfire.delivery.bullmq.BullmqSettings;
import io.rapidfire.delivery.bullmq.BullmqSink;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.ops.MemoryRegistry;
import io.rapidfire.ops.RedisRegistry;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.ops.Registry;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.store.redis.RedisConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The one place that decides between the in-memory store and Redis, and what comes with each choice: the
 * registry beside the store, the checks at start, and the sinks only Redis can feed. A process asks this instead
 * of testing which store it got.
 */
interface Backend extends AutoCloseable {
    BatchStore store();

    Registry registry();

    /** The operator's operations on this deployment, with the policies as configured plus runtime overrides. */
    default io.rapidfire.admin.AdminService admin(RapidfireConfig config) {
        return new io.rapidfire.admin.AdminService(store(), registry(),
                new io.rapidfire.core.PolicySource(store(), config.policies()));
    }

    /** Refuses what would lose batches (an evicting Redis) and logs what this process uses. */
    void checkAtStart(String role, RapidfireConfig config);

    /** RAPIDFIRE_SINK=stream (refused at config load without REDIS_URL). */
    Sink streamSink(RapidfireConfig config, Function<Batch, String> commitUrls);

    /**
     * RAPIDFIRE_SINK=bullmq: on RAPIDFIRE_BULLMQ_REDIS_URL when set (its own connection), else on the store's
     * Redis. Checked at start: a Cluster without a hash tag, or queues of a BullMQ version it was not tested with,
     * stop the process saying what to change.
     */
    Sink bullmqSink(RapidfireConfig config, String clientName, Function<Batch, String> commitUrls);

    /** Opens the BullMQ sink on its own queue Redis. */
    static Sink bullmqSink(RapidfireConfig config, RedisLink shared, String clientName,
                           Function<Batch, String> commitUrls) {
        String url = config.get(Setting.RAPIDFIRE_BULLMQ_REDIS_URL);
        RedisLink link = url.isEmpty() ? shared : RedisLink.open(url, clientName,
                Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_REDIS_TIMEOUT_MS)), Duration.ofSeconds(60));
        BullmqSettings s = config.bullmq();
        try {
            BullmqQueues.checkAtStart(link, s);
        } catch (RuntimeException e) {
            if (link != shared) {
                link.close();
            }
            throw e;
        }
        return new BullmqSink(link, link != shared, s, commitUrls);
    }

    @Override
    default void close() {
        registry().close();
        store().close();
    }

    static Backend open(RapidfireConfig config, String clientName) {
        if (!config.usesRedis()) {
            return new Memory(MemoryBatchStore.builder().partitions(config.getInt(Setting.RAPIDFIRE_PARTITIONS))
                    .dedupWindow(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_DEDUP_WINDOW_MS))).build(),
                    new MemoryRegistry());
        }
        return redis(redisStore(config, clientName)
                .timeout(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_REDIS_TIMEOUT_MS))).build());
    }

    /** The store every process of the deployment shares, as the settings describe it. */
    static RedisBatchStore.Builder redisStore(RapidfireConfig c, String clientName) {
        return RedisBatchStore.builder(c.get(Setting.REDIS_URL)).clientName(clientName)
                .namespace(c.get(Setting.RAPIDFIRE_NAMESPACE)).partitions(c.getInt(Setting.RAPIDFIRE_PARTITIONS))
                .dedupWindow(Duration.ofMillis(c.getLong(Setting.RAPIDFIRE_DEDUP_WINDOW_MS)))
                .joiner(c.get(Setting.RAPIDFIRE_JOINER)).durability(durability(c));
    }

    private static RedisBatchStore.Durability durability(RapidfireConfig c) {
        return new RedisBatchStore.Durability(c.getInt(Setting.RAPIDFIRE_WAIT_REPLICAS),
                c.getLong(Setting.RAPIDFIRE_WAIT_TIMEOUT_MS), c.getLong(Setting.RAPIDFIRE_CLUSTER_REFRESH_MS));
    }

    static Redis redis(RedisBatchStore store) {
        return new Redis(store, new RedisRegistry(store.link(), store.keyspace()));
    }

    record Memory(MemoryBatchStore store, Registry registry) implements Backend {
        private static final Logger log = LoggerFactory.getLogger(Node.class);

        @Override
        public void checkAtStart(String role, RapidfireConfig config) {
            log.warn("Using the in-memory store: pending batches are lost when this process stops. "
                    + "Set REDIS_URL for durability.");
        }

        @Override
        public Sink streamSink(RapidfireConfig config, Function<Batch, String> commitUrls) {
            throw new IllegalStateException("RAPIDFIRE_SINK=stream writes to a Redis Stream and needs REDIS_URL");
        }

        @Override
        public Sink bullmqSink(RapidfireConfig config, String clientName, Function<Batch, String> commitUrls) {
            return Backend.bullmqSink(config, null, clientName, commitUrls);
        }
    }

    record Redis(RedisBatchStore store, Registry registry) implements Backend {
        private static final Logger log = LoggerFactory.getLogger(Node.class);

        /** Logs what this process uses, and refuses an evicting Redis: on a Cluster every master is checked. */
        @Override
        public void checkAtStart(String role, RapidfireConfig config) {
            int waitReplicas = config.getInt(Setting.RAPIDFIRE_WAIT_REPLICAS);
            for (RedisServerFacts facts : RedisServerFacts.readMasters(store.link())) {
                if (facts.connectedReplicas() < waitReplicas) {
                    log.warn("Redis {} has {} replica(s) connected but RAPIDFIRE_WAIT_REPLICAS={}: until more replicas "
                                    + "connect, every message for its conversations answers 503 after RAPIDFIRE_WAIT_TIMEOUT_MS={} "
                                    + "ms. Attach replicas (REPLICAOF / CLUSTER REPLICATE) or lower RAPIDFIRE_WAIT_REPLICAS.",
                            facts.address(), facts.connectedReplicas(), waitReplicas,
                            config.getLong(Setting.RAPIDFIRE_WAIT_TIMEOUT_MS));
                }
                log.info("rapidfire {} pid {} on {} uses redis {} db {} (redis {}, run_id {}, maxmemory-policy {}), "
                                + "namespace {}", role, ProcessHandle.current().pid(), Node.host(),
                        facts.address(), facts.db(), facts.version(), facts.runId(), facts.maxmemoryPolicy(),
                        config.get(Setting.RAPIDFIRE_NAMESPACE));
                if (!facts.replicaOf().isEmpty()) {
                    close();
                    throw new IllegalStateException("REDIS_URL names " + facts.address() + ", a read-only replica of "
                            + facts.replicaOf() + ": every message would be refused (503 store_read_only). Point "
                            + "REDIS_URL at the master (" + facts.replicaOf() + "), or use a redis-sentinel:// URL so that "
                            + "Rapidfire follows fail-overs.");
                }
                if (!facts.persistenceError().isEmpty()) {
                    log.error("Redis {} refuses writes (MISCONF): {}. Until it can persist again, every message is "
                            + "refused (503 store_persistence_failed). Fix its disk (space, permissions of its dir; the "
                            + "Redis log says why), then BGSAVE.", facts.address(), facts.persistenceError());
                }
                if (!facts.maxmemoryPolicy().equals("noeviction") && !config.getBool(Setting.RAPIDFIRE_ALLOW_EVICTION)) {
                    close();
                    throw new IllegalStateException("Redis " + facts.address() + " has maxmemory-policy "
                            + facts.maxmemoryPolicy() + ": under memory pressure it deletes keys, and Rapidfire's keys are the "
                            + "pending batches (the original's \"batches vanish\" failure). Run `CONFIG SET maxmemory-policy "
                            + "noeviction` (and put it in redis.conf" + (store.link().topology() == RedisConnector.Topology.CLUSTER
                            ? ", on every master and replica" : "") + "), or set RAPIDFIRE_ALLOW_EVICTION=true to start anyway.");
                }
            }
        }

        @Override
        public Sink bullmqSink(RapidfireConfig config, String clientName, Function<Batch, String> commitUrls) {
            return Backend.bullmqSink(config, store.link(), clientName, commitUrls);
        }

        @Override
        public Sink streamSink(RapidfireConfig config, Function<Batch, String> commitUrls) {
            return new StreamSink(store.link().asyncCommands(), config.get(Setting.RAPIDFIRE_STREAM_KEY),
                    config.getLong(Setting.RAPIDFIRE_STREAM_MAXLEN), commitUrls);
        }
    }
}
