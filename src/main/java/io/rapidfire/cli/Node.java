package io.rapidfire.cli;

import io.rapidfire.config.ConfigLoader;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Batcher;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.delivery.LogSink;
import io.rapidfire.delivery.Sink;
import io.rapidfire.delivery.StreamSink;
import io.rapidfire.ingest.WebhookServer;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One running Rapidfire process in one of three roles: standalone (API + worker), api, worker. Builds the
 * store, sink, worker and webhook server from the configuration, and stops them in order on SIGTERM/SIGINT:
 * stop taking webhooks, let the worker finish or release what it holds, close the store.
 */
final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    enum Role { STANDALONE, API, WORKER }

    private final Role role;
    private final RapidfireConfig config;
    private BatchStore store;
    private Sink sink;
    private Worker worker;
    private WebhookServer server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Node(Role role, RapidfireConfig config) {
        this.role = role;
        this.config = config;
    }

    static String processName(Role role) {
        return "rapidfire:" + role.name().toLowerCase() + ":" + ProcessHandle.current().pid() + "@" + host();
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    Node start() {
        log.info(config.dump());
        for (String unknown : ConfigLoader.unknownEnvironmentNames(System.getenv())) {
            log.warn("Environment variable {} is not a Rapidfire setting and is ignored (typo?). See `rapidfire --help`.",
                    unknown);
        }
        if (role != Role.STANDALONE && !config.usesRedis()) {
            throw new IllegalStateException("`rapidfire " + role.name().toLowerCase() + "` runs as a separate process "
                    + "and must share a Redis with the other role: set REDIS_URL (e.g. redis://127.0.0.1:6379/0). "
                    + "For a single process with the in-memory store, run `rapidfire` without a subcommand.");
        }
        store = openStore();
        if (role != Role.API) {
            sink = openSink();
            worker = new Worker(store, sink, new WorkerSettings(ProcessHandle.current().pid() + "@" + host(),
                    config.getInt(Setting.RAPIDFIRE_WORKER_CONCURRENCY), config.getLong(Setting.RAPIDFIRE_LEASE_MS),
                    config.getInt(Setting.RAPIDFIRE_MAX_ATTEMPTS), config.getLong(Setting.RAPIDFIRE_RETRY_BASE_MS),
                    config.getLong(Setting.RAPIDFIRE_RETRY_MAX_MS), config.getLong(Setting.RAPIDFIRE_SAFETY_POLL_MS),
                    config.getLong(Setting.RAPIDFIRE_SHUTDOWN_GRACE_MS))).start();
        }
        if (role != Role.WORKER) {
            server = new WebhookServer(new Batcher(store, config.policies()), config.get(Setting.RAPIDFIRE_DEFAULT_TENANT))
                    .start(config.get(Setting.RAPIDFIRE_HOST), config.getInt(Setting.RAPIDFIRE_PORT));
        }
        log.info("Rapidfire {} running: pid {}, store {}{}{}", role.name().toLowerCase(), ProcessHandle.current().pid(),
                store.describe(), server != null ? ", webhooks on http://" + config.get(Setting.RAPIDFIRE_HOST) + ":"
                        + server.port() + "/webhook/whatsapp/batched" : "",
                sink != null ? ", batches to " + sink.describe() : "");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "rapidfire-shutdown"));
        return this;
    }

    private BatchStore openStore() {
        int partitions = config.getInt(Setting.RAPIDFIRE_PARTITIONS);
        long dedup = config.getLong(Setting.RAPIDFIRE_DEDUP_WINDOW_MS);
        if (!config.usesRedis()) {
            log.warn("Using the in-memory store: pending batches are lost when this process stops. "
                    + "Set REDIS_URL for durability.");
            return new MemoryBatchStore(partitions, dedup);
        }
        return new RedisBatchStore(config.get(Setting.REDIS_URL), processName(role),
                Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_REDIS_TIMEOUT_MS)),
                config.get(Setting.RAPIDFIRE_NAMESPACE), partitions, dedup, config.get(Setting.RAPIDFIRE_JOINER));
    }

    private Sink openSink() {
        return switch (config.get(Setting.RAPIDFIRE_SINK)) {
            case "http" -> new HttpSink(URI.create(config.get(Setting.RAPIDFIRE_SINK_URL)),
                    config.get(Setting.RAPIDFIRE_SINK_SECRET),
                    Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_SINK_CONNECT_TIMEOUT_MS)),
                    Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_SINK_TIMEOUT_MS)));
            case "stream" -> new StreamSink(((RedisBatchStore) store).client(), config.get(Setting.RAPIDFIRE_STREAM_KEY),
                    config.getLong(Setting.RAPIDFIRE_STREAM_MAXLEN));
            default -> new LogSink();
        };
    }

    int port() {
        return server == null ? -1 : server.port();
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log.info("Rapidfire {} stopping", role.name().toLowerCase());
        if (server != null) {
            server.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (store != null) {
            store.close();
        }
        stopped.countDown();
    }
}
