package io.rapidfire.cluster;

import io.rapidfire.ops.doctor.DoctorOptions;
import org.junit.jupiter.api.Tag;

import io.lettuce.core.cluster.SlotHash;
import io.rapidfire.config.ConfigLoader;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.stream.StreamSink;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.RedisRegistry;
import io.rapidfire.ops.doctor.Check;
import io.rapidfire.ops.doctor.Doctor;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.testing.Cli;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisCluster;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Inspection, dead letters, runtime policies, the registry, the stream sink and the doctor on a real Redis Cluster. */
@Tag("cluster")
class ClusterOperationsTest {
    private static final int PARTITIONS = 24;

    private static Cli.Run rapidfire(String ns, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--redis-url", SharedCluster.url(), "--set", "RAPIDFIRE_NAMESPACE=" + ns, "--set",
                "RAPIDFIRE_PARTITIONS=" + PARTITIONS));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void statsDeadLettersPoliciesProcessesAndTheStreamSinkWorkAcrossEveryMaster() throws Exception {
        String ns = SharedRedis.freshNamespace();
        RedisCluster cluster = SharedCluster.cluster();
        try (RedisBatchStore store = RedisBatchStore.builder(cluster.url()).clientName("rapidfire:test").timeout(Duration.ofSeconds(2)).namespace(ns).partitions(PARTITIONS).dedupWindow(Duration.ofMinutes(1)).build()) {
            Set<Integer> mastersUsed = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                ConversationRef c = new ConversationRef("acme", "whatsapp", "+7900000" + (1000 + i));
                store.append(Message.text(c, "m" + i, "hi " + i, null), Policy.DEFAULT);
                mastersUsed.add(cluster.masterOf(new RedisKeys(ns, PARTITIONS).due(store.partitionOf(c))).port());
            }
            assertThat(mastersUsed).as("60 conversations over 24 partitions reach every master").hasSize(3);

            Cli.Run stats = rapidfire(ns, "stats", "--json");
            assertThat(stats.status()).as(stats.err()).isZero();
            assertThat(stats.out()).contains("\"pendingBatches\" : 60");

            ConversationRef anna = new ConversationRef("acme", "whatsapp", "+79000001000");
            store.flush(anna);
            ClaimedBatch b = store.claim(store.partitionOf(anna), 10, 60_000, "test").batches().get(0);
            store.deadLetter(b.lease(), b.batch(), "refused: HTTP 422");
            assertThat(rapidfire(ns, "dlq", "list").out()).contains(b.batch().batchId()).contains("refused: HTTP 422");
            assertThat(rapidfire(ns, "dlq", "replay", b.batch().batchId()).out()).contains("replayed 1");
            assertThat(store.counts().deadLetters()).isZero();

            assertThat(rapidfire(ns, "policy", "set", "--tenant", "acme", "maxMessages:3").status()).isZero();
            assertThat(store.runtimePolicies()).containsEntry("acme", "maxMessages:3");

            RedisRegistry registry = new RedisRegistry(store.link(), store.keyspace());
            registry.heartbeat(new ProcessInfo("worker:1@test", "worker", 1, "test", "0", 0, 0, 0, "cluster", 0, "", ns,
                    0, "", 0, 0, 1_000, Map.of()), 0);
            assertThat(registry.live()).extracting(ProcessInfo::runId).containsExactly(store.link().identity());
            assertThat(rapidfire(ns, "processes").out()).contains("worker").contains("cluster");

            StreamSink sink = new StreamSink(store.link().asyncCommands(), ns + ":batches", 100);
            assertThat(sink.deliver(b.batch()).kind()).isEqualTo(DeliveryOutcome.Kind.ACK);
            assertThat(store.link().commands().xlen(ns + ":batches")).isEqualTo(1);
        }
    }

    @Test
    void aHealthyClusterDeploymentPassesEveryDoctorCheck() {
        String ns = SharedRedis.freshNamespace();
        Map<String, String> env = Map.of("REDIS_URL", SharedCluster.url(), "RAPIDFIRE_NAMESPACE", ns,
                "RAPIDFIRE_PARTITIONS", Integer.toString(PARTITIONS), "RAPIDFIRE_HEARTBEAT_MS", "200", "RAPIDFIRE_PORT", "0");
        try (RapidfireProcess api = RapidfireProcess.start(env, "api");
             RapidfireProcess worker = RapidfireProcess.start(env, "worker")) {
            api.awaitOutput("Rapidfire api running", Duration.ofSeconds(60));
            worker.awaitOutput("Rapidfire worker running", Duration.ofSeconds(60));
            Map<String, Check> c = doctor(env, 1);
            assertThat(c.values()).allSatisfy(k -> assertThat(k.status()).as(k.toString()).isEqualTo(Check.Status.PASS));
            assertThat(c.get("redis").evidence()).contains("Redis Cluster ok, all 16384 slots covered")
                    .contains("3 masters up, 3 replicas").contains("partitions per master");
            assertThat(c.get("redis-settings").evidence().split("maxmemory-policy noeviction", -1)).as("every master")
                    .hasSize(4);
            assertThat(c).containsKeys("same-redis", "processes", "probe", "watch", "overdue");
        }
    }

    @Test
    void aDownMasterIsNamedByTheDoctorAndOnlyItsConversationsAnswer503() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 0)) {
            String ns = "down";
            RedisKeys keys = new RedisKeys(ns, PARTITIONS);
            int port = RedisServer.freePort();
            Map<String, String> env = Map.of("REDIS_URL", cluster.url(), "RAPIDFIRE_NAMESPACE", ns,
                    "RAPIDFIRE_PARTITIONS", Integer.toString(PARTITIONS), "RAPIDFIRE_PORT", Integer.toString(port),
                    "RAPIDFIRE_CLUSTER_REFRESH_MS", "1000", "RAPIDFIRE_OPEN_ROUTES", "all");
            try (RapidfireProcess api = RapidfireProcess.start(env, "api")) {
                api.awaitOutput("Rapidfire api running", Duration.ofSeconds(60));
                // The master that also holds the registry: readiness must not depend on it.
                RedisServer victim = cluster.masterOf(keys.processes());
                String onVictim = null;
                String elsewhere = null;
                for (int i = 0; i < 200 && (onVictim == null || elsewhere == null); i++) {
                    String phone = "7900555" + String.format("%04d", i);
                    int p = io.rapidfire.core.Partitioner.partitionOf(
                            new ConversationRef("default", "whatsapp", "+" + phone), PARTITIONS);
                    if (cluster.masterOf(keys.due(p)) == victim) {
                        onVictim = onVictim == null ? phone : onVictim;
                    } else {
                        elsewhere = elsewhere == null ? phone : elsewhere;
                    }
                }
                assertThat(post(port, onVictim, "a")).isEqualTo(200);
                victim.signal("KILL");

                Map<String, Check> c = doctor(env, 0);
                Check redis = c.get("redis");
                assertThat(redis.status()).isEqualTo(Check.Status.FAIL);
                assertThat(redis.evidence()).contains("master 127.0.0.1:" + victim.port())
                        .contains("slots have no reachable master");
                assertThat(redis.fix()).contains("CLUSTER FAILOVER");

                assertThat(post(port, onVictim, "b")).as("its slot has no master").isEqualTo(503);
                assertThat(post(port, elsewhere, "c")).as("the other masters still take messages").isEqualTo(200);
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as("still taking the other slots' messages: " + ready.body()).isEqualTo(200);
                assertThat(ready.body()).contains("registry cannot be read");
            }
        }
    }

    private static int post(int port, String phone, String id) throws Exception {
        String body = "{\"from\":\"" + phone + "@c.us\",\"message\":\"x\",\"messageId\":\"" + id + "\"}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/webhook/whatsapp/batched")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static Map<String, Check> doctor(Map<String, String> env, int watchSeconds) {
        List<Check> checks = new Doctor(ConfigLoader.load(env, Map.of()),
                new DoctorOptions(30_000, 5_000, watchSeconds, List.of())).run();
        System.out.println(String.join("\n", checks.stream().map(Check::toString).toList()));
        Map<String, Check> byName = new HashMap<>();
        checks.forEach(k -> byName.put(k.name(), k));
        return byName;
    }

    @Test
    void theBullmqSinkNeedsAHashTagOnAClusterAndThenWritesAJobsKeysToOneSlot() throws Exception {
        try (io.rapidfire.store.redis.RedisLink link = io.rapidfire.store.redis.RedisLink.open(SharedCluster.url(),
                "rapidfire:test-bullmq", Duration.ofSeconds(2), Duration.ofSeconds(60))) {
            var untagged = io.rapidfire.delivery.bullmq.BullmqSettings.defaults();
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            io.rapidfire.delivery.bullmq.BullmqQueues.checkAtStart(link, untagged))
                    .hasMessageContaining("RAPIDFIRE_BULLMQ_PREFIX={bull}");
            var tagged = new io.rapidfire.delivery.bullmq.BullmqSettings(
                    io.rapidfire.delivery.bullmq.BullmqSettings.DEFAULT_QUEUE, "{bull}", "process-message", 3, 2_000,
                    60_000);
            io.rapidfire.delivery.bullmq.BullmqQueues.checkAtStart(link, tagged);
            ConversationRef c = new ConversationRef("cl" + System.nanoTime() % 100_000, "whatsapp", "+79001234567");
            var batch = io.rapidfire.core.Batch.of("cluster-job-1", c, 1, List.of(new io.rapidfire.core.StoredMessage(
                    Message.text(c, "m1", "Hi", null), 1_000)), io.rapidfire.core.ReleaseReason.QUIET, 1, " ");
            DeliveryOutcome o = new io.rapidfire.delivery.bullmq.BullmqSink(link, false, tagged).deliver(batch);
            assertThat(o.kind()).as(o.detail()).isEqualTo(DeliveryOutcome.Kind.ACK);
            String base = "{bull}:company-" + c.tenant() + "-messages:";
            assertThat(link.commands().hget(base + "cluster-job-1", "name")).isEqualTo("process-message");
            assertThat(link.commands().lrange(base + "wait", 0, -1)).containsExactly("cluster-job-1");
            assertThat(io.rapidfire.delivery.bullmq.BullmqQueues.inspect(link, tagged, link.nowMs()))
                    .anySatisfy(q -> assertThat(q.queue()).isEqualTo("company-" + c.tenant() + "-messages"));
        }
    }
}
