package io.rapidfire.cli;

import io.rapidfire.admin.Admin;
import io.rapidfire.admin.AdminService;
import io.rapidfire.admin.AdminSettings;

import io.rapidfire.config.ConfigLoader;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.PolicySource;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.delivery.LogSink;
import io.rapidfire.delivery.ProbeSink;
import io.rapidfire.delivery.Sink;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.ingest.WebhookServer;
import io.rapidfire.config.SettingGroups;
import io.rapidfire.store.redis.RedisConnector;
import io.rapidfire.ops.Metrics;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.Registry;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    /** The worker's own connection in a standalone process on Redis (see {@link #workerStore()}); else the store. */
    private BatchStore workerStore;
    private Sink sink;
    private Worker worker;
    private WebhookServer server;
    private Metrics metrics;
    private io.rapidfire.ops.Traces traces;
    private Registry registry;
    private Backend backend;
    private final String processId;
    private final long startedAt = System.currentTimeMillis();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rapidfire-heartbeat");
        t.setDaemon(true);
        return t;
    });
    static final String VERSION = "0.1.0";
    private final CountDownLatch stopped = new CountDownLatch(1);

    Node(Role role, RapidfireConfig config) {
        this.role = role;
        this.config = config;
        this.processId = role.name().toLowerCase() + ":" + ProcessHandle.current().pid() + "@" + host();
    }

    static String processName(Role role) {
        return "rapidfire:" + role.name().toLowerCase() + ":" + ProcessHandle.current().pid() + "@" + host();
    }

    static String host() {
        return io.rapidfire.ops.Host.name();
    }

    Node start() {
        Logging.apply(config);
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
        backend = Backend.open(config, processName(role));
        backend.checkAtStart(role.name().toLowerCase(), config);
        store = backend.store();
        registry = backend.registry();
        traces = io.rapidfire.ops.Traces.start(config.otel(), role.name().toLowerCase());
        metrics = new Metrics(store, traces.tracing().on());
        if (role != Role.API) {
            sink = openSink();
            workerStore = workerStore();
            worker = new Worker(workerStore, new ProbeSink(sink, workerStore), WorkerSettings.builder(processId)
                    .concurrency(config.getInt(Setting.RAPIDFIRE_WORKER_CONCURRENCY))
                    .lease(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_LEASE_MS)))
                    .maxAttempts(config.getInt(Setting.RAPIDFIRE_MAX_ATTEMPTS))
                    .retryBackoff(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_RETRY_BASE_MS)),
                            Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_RETRY_MAX_MS)))
                    .safetyPoll(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_SAFETY_POLL_MS)))
                    .shutdownGrace(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_SHUTDOWN_GRACE_MS)))
                    .commitTimeout(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_COMMIT_TIMEOUT_MS))).build(),
                    metrics).handovers(handoverControl(), config.getLong(Setting.RAPIDFIRE_HANDOVER_MS))
                    .tracing(traces.tracing()).start();
        }
        heartbeat();
        long every = config.getLong(Setting.RAPIDFIRE_HEARTBEAT_MS);
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        if (role != Role.WORKER) {
            IngestSettings ingest = IngestSettings.from(config, role == Role.API);
            warnAboutSecurity(ingest);
            PolicySource policies = policies();
            server = new WebhookServer(store, policies, ingest, metrics, registry)
                    .logSummaryEvery(config.getLong(Setting.RAPIDFIRE_LOG_SUMMARY_MS))
                    .commits(config.get(Setting.RAPIDFIRE_SINK_SECRET), config.getLong(Setting.RAPIDFIRE_COMMIT_WAIT_MS))
                    .handovers(handoverControl(), io.rapidfire.ingest.HandoverSettings.from(config))
                    .tracing(traces.tracing());
            if (store instanceof io.rapidfire.store.redis.RedisBatchStore redis) {
                server.eventLoops(redis.link().eventLoops());
            }
            AdminService admin = new AdminService(store, registry, policies);
            if (config.usesRedis()) {
                admin.doctor(() -> io.rapidfire.ops.doctor.Doctor.json(new io.rapidfire.ops.doctor.Doctor(config,
                        new io.rapidfire.ops.doctor.DoctorOptions(30_000, 5_000, 0, java.util.List.of())).run()));
            }
            Admin.install(server.http(), admin, new AdminSettings(ingest.adminToken(), ingest.adminReadToken(),
                    ingest.adminTrusted(), ingest.defaultTenant(), ingest.maxBodyBytes()), server::whatsappConversation);
            io.rapidfire.web.Dashboard.install(server.http());
            server.start(config.get(Setting.RAPIDFIRE_HOST), config.getInt(Setting.RAPIDFIRE_PORT));
        }
        log.info("Rapidfire {} running: pid {}, store {}{}{}", role.name().toLowerCase(), ProcessHandle.current().pid(),
                store.describe(), server != null ? ", webhooks on http://" + config.get(Setting.RAPIDFIRE_HOST) + ":"
                        + server.port() + "/webhook/whatsapp/batched, dashboard on /ui" : "",
                sink != null ? ", batches to " + sink.describe() : "");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "rapidfire-shutdown"));
        return this;
    }

    /**
     * A standalone process on Redis gives its worker a Redis client of its own. On one shared connection the
     * worker's claims queue behind every webhook's append and wait on the same event-loop threads: under HTTP load
     * on two cores a claim took 30-70 ms (JFR), the claim loop fell behind and batches were claimed seconds after
     * their deadline (bench paced 10k over HTTP: p50 ~1 s). An API-only or worker-only process has one user of its
     * connection already.
     */
    private BatchStore workerStore() {
        if (role != Role.STANDALONE || !config.usesRedis()) {
            return store;
        }
        return Backend.redisStore(config, processName(role))
                .timeout(Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_REDIS_TIMEOUT_MS))).build();
    }

    private void heartbeat() {
        try {
            BatchStore.ConnectionHealth h = store.health();
            String address = "";
            int db = 0;
            if (config.usesRedis()) {
                var target = RedisConnector.target(config.get(Setting.REDIS_URL));
                var uri = target.first();
                address = switch (target.topology()) {
                    case SINGLE -> uri.getHost() + ":" + uri.getPort();
                    case SENTINEL -> "sentinel:" + target.masterName();
                    case CLUSTER -> "cluster";
                };
                db = uri.getDatabase();
            }
            registry.heartbeat(new ProcessInfo(processId, role.name().toLowerCase(), ProcessHandle.current().pid(), host(),
                    VERSION, startedAt, 0, worker == null ? 0 : worker.inFlight(), address, db, "",
                    config.get(Setting.RAPIDFIRE_NAMESPACE), 0, h.lastError(), h.lastErrorAtMs(), h.reconnects(),
                    config.getLong(Setting.RAPIDFIRE_HEARTBEAT_MS), SettingGroups.published(config)),
                    config.getLong(Setting.RAPIDFIRE_TEST_CLOCK_OFFSET_MS));
        } catch (RuntimeException e) {
            log.warn("Heartbeat of {} failed: {}", processId, e.getMessage());
        }
    }

    /** Each webhook route's and admin's protection, as configured; WARN when a route takes anyone's messages. */
    private static void warnAboutSecurity(IngestSettings s) {
        String table = "Webhook routes and admin, as protected now:\n  " + String.join("\n  ", s.protection());
        if (s.openToAnyone()) {
            log.warn("{}\n!!! A route above takes UNSIGNED messages sent by anyone who reaches this port: set its secret "
                    + "unless a proxy in front checks callers.", table);
        } else {
            log.info(table);
        }
    }

    /** A commit held past the sink's timeout leaves the bot's delivery timed out and retried: say so at start. */
    private void warnAboutCommitWait() {
        long wait = config.getLong(Setting.RAPIDFIRE_COMMIT_WAIT_MS);
        long timeout = config.getLong(Setting.RAPIDFIRE_SINK_TIMEOUT_MS);
        boolean supersedes = config.policies().defaults().supersede()
                || config.policies().tenants().values().stream().anyMatch(io.rapidfire.core.Policy::supersede);
        if (supersedes && role == Role.WORKER && config.get(Setting.RAPIDFIRE_PUBLIC_URL).isBlank()) {
            log.warn("A policy supersedes (RAPIDFIRE_ON_NEW_MESSAGE=supersede) but RAPIDFIRE_PUBLIC_URL is empty: this "
                    + "worker gives bots a commitUrl on its own loopback, where no API listens. Set RAPIDFIRE_PUBLIC_URL "
                    + "to where bots reach `rapidfire api` (e.g. https://rapidfire.example).");
        }
        if ("http".equals(config.get(Setting.RAPIDFIRE_SINK)) && wait >= timeout) {
            log.warn("RAPIDFIRE_COMMIT_WAIT_MS={} is not below RAPIDFIRE_SINK_TIMEOUT_MS={}: a bot whose commit is held "
                    + "while the person types would see its delivery time out and come again. Lower the first, raise "
                    + "the second, or have the bot answer 202 with Rapidfire-Commit: later.", wait, timeout);
        }
    }

    /** Starts and ends handovers and announces them in the conversations, under each tenant's policy in force. */
    private io.rapidfire.core.HandoverControl handoverControl() {
        PolicySource policies = policies();
        return io.rapidfire.core.HandoverControl.of(store, c -> policies.get().forConversation(c));
    }

    private PolicySource policySource;

    /** The one policy source of this process: each one re-reads the runtime policies once a second. */
    private synchronized PolicySource policies() {
        if (policySource == null) {
            policySource = new PolicySource(store, config.policies());
            // The webhooks read the policies on an event loop (the Redis client's), which must never wait for the store.
            policySource.refreshInBackground();
        }
        return policySource;
    }

    private Sink openSink() {
        warnAboutCommitWait();
        io.rapidfire.delivery.CommitLinks links = new io.rapidfire.delivery.CommitLinks(this::publicUrl, store,
                policies());
        return switch (config.get(Setting.RAPIDFIRE_SINK)) {
            case "http" -> new HttpSink(URI.create(config.get(Setting.RAPIDFIRE_SINK_URL)),
                    config.get(Setting.RAPIDFIRE_SINK_SECRET),
                    Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_SINK_CONNECT_TIMEOUT_MS)),
                    Duration.ofMillis(config.getLong(Setting.RAPIDFIRE_SINK_TIMEOUT_MS)), links);
            case "stream" -> backend.streamSink(config, links);
            case "bullmq" -> backend.bullmqSink(config, processName(role), links);
            default -> new LogSink();
        };
    }

    /** Where bots reach the API: RAPIDFIRE_PUBLIC_URL, else this host's loopback at RAPIDFIRE_PORT. */
    private String publicUrl() {
        String set = config.get(Setting.RAPIDFIRE_PUBLIC_URL).trim();
        if (!set.isEmpty()) {
            return set;
        }
        int port = server != null && server.port() > 0 ? server.port() : config.getInt(Setting.RAPIDFIRE_PORT);
        return "http://127.0.0.1:" + port;
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
        heartbeats.shutdownNow();
        if (registry != null) {
            try {
                registry.remove(processId);
            } catch (RuntimeException e) {
                log.debug("could not deregister {}: {}", processId, e.getMessage());
            }
            registry.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (traces != null) {
            traces.close(); // the last spans are exported before the process ends
        }
        if (workerStore != null && workerStore != store) {
            workerStore.close();
        }
        if (store != null) {
            store.close();
        }
        stopped.countDown();
    }
}
