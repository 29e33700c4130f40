package io.rapidfire.cluster;

import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** API and worker processes (real JVMs) of one deployment on a Redis Cluster, delivering to a local HTTP bot. */
public final class ClusterDeployment implements AutoCloseable {
    public final List<RapidfireProcess> apis = new ArrayList<>();
    public final List<RapidfireProcess> workers = new ArrayList<>();
    public final List<Integer> apiPorts = new ArrayList<>();
    public final Map<String, String> env = new HashMap<>();

    public ClusterDeployment(String redisUrl, String namespace, HttpReceiver bot, Map<String, String> extra) {
        env.putAll(Map.of("REDIS_URL", redisUrl, "RAPIDFIRE_NAMESPACE", namespace, "RAPIDFIRE_PARTITIONS", "24",
                "RAPIDFIRE_QUIET_MS", "300", "RAPIDFIRE_MAX_WAIT_MS", "3000", "RAPIDFIRE_LEASE_MS", "3000",
                "RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL", bot.url(), "RAPIDFIRE_RATE_IP_BURST", "0",
                "RAPIDFIRE_RATE_SENDER_BURST", "0"));
        env.put("RAPIDFIRE_CLUSTER_REFRESH_MS", "1000");
        env.put("RAPIDFIRE_WORKER_CONCURRENCY", "8");
        env.putAll(extra);
    }

    public ClusterDeployment start(int apiCount, int workerCount) {
        for (int i = 0; i < apiCount; i++) {
            int port = freePort();
            Map<String, String> e = new HashMap<>(env);
            e.put("RAPIDFIRE_PORT", Integer.toString(port));
            e.put("RAPIDFIRE_OPEN_ROUTES", "all");
            apis.add(RapidfireProcess.start(e, "api"));
            apiPorts.add(port);
        }
        for (int i = 0; i < workerCount; i++) {
            workers.add(RapidfireProcess.start(env, "worker"));
        }
        apis.forEach(a -> a.awaitOutput("Rapidfire api running", Duration.ofSeconds(60)));
        workers.forEach(w -> w.awaitOutput("Rapidfire worker running", Duration.ofSeconds(60)));
        return this;
    }

    public RapidfireProcess addWorker() {
        RapidfireProcess w = RapidfireProcess.start(env, "worker");
        workers.add(w);
        return w.awaitOutput("Rapidfire worker running", Duration.ofSeconds(60));
    }

    private static int freePort() {
        try {
            return RedisServer.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        List<RapidfireProcess> all = new java.util.ArrayList<>(apis);
        all.addAll(workers);
        RapidfireProcess.closeAll(all);
    }
}
