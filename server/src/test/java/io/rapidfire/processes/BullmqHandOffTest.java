package io.rapidfire.processes;

import io.rapidfire.ops.doctor.DoctorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.config.ConfigLoader;
import io.rapidfire.ops.doctor.Check;
import io.rapidfire.ops.doctor.Doctor;
import io.rapidfire.testing.Bullmq;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisCluster;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.TcpProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rapidfire in place of the original batcher, on real processes: webhooks in, one BullMQ job per batch out to a
 * stock BullMQ worker (Node, bullmq 6.x from npm); the doctor reading the queue; and a Rapidfire worker killed with
 * kill -9 between adding the job and acknowledging the batch, which must still leave exactly one job.
 */
@Tag("processes")
class BullmqHandOffTest {
    private static HttpResponse<String> post(int port, String tenant, String id, String text) throws Exception {
        String body = "{\"from\": \"79001234567@c.us\", \"message\": \"" + text + "\", \"messageId\": \"" + id + "\"}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/webhook/whatsapp/batched?companyId=" + tenant)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Check> doctor(Map<String, String> env, long overdueMs) {
        Map<String, Check> byName = new HashMap<>();
        new Doctor(ConfigLoader.load(env, Map.of()), new DoctorOptions(overdueMs, 3_000, 0, List.of())).run()
                .forEach(c -> byName.put(c.name(), c));
        return byName;
    }

    @Test
    void theOriginalsWorkerAnswersRapidfiresBatchesAndTheDoctorSaysWhenNoWorkerTakesThem() throws Exception {
        Bullmq.home();
        try (RedisServer redis = RedisServer.start()) {
            int port = RedisServer.freePort();
            Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_SINK", "bullmq",
                    "RAPIDFIRE_QUIET_MS", "300", "RAPIDFIRE_PORT", Integer.toString(port), "RAPIDFIRE_HEARTBEAT_MS", "200");
            try (RapidfireProcess rf = RapidfireProcess.start(env)) {
                rf.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
                assertThat(rf.output()).contains("batches to bullmq job 'process-message' to bull:company-{tenant}-messages");
                assertThat(post(port, "acme", "m1", "Hi,").statusCode()).isEqualTo(200);
                assertThat(post(port, "acme", "m2", "book me").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.isAlive()
                        && RedisCluster.on(redis, c -> c.llen("bull:company-acme-messages:wait")) == 1);

                // Nobody consumes the queue: the doctor names it once the job waits longer than --overdue-ms.
                await().atMost(Duration.ofSeconds(10)).until(() -> doctor(env, 500).get("bullmq").status() == Check.Status.FAIL);
                Check stuck = doctor(env, 500).get("bullmq");
                assertThat(stuck.evidence()).contains("company-acme-messages has 1 job(s) waiting")
                        .contains("no BullMQ worker is connected");
                assertThat(stuck.fix()).contains("start the BullMQ worker");

                try (Bullmq.WorkerProcess worker = Bullmq.worker(redis.port(), "bull", "company-acme-messages", "ok")) {
                    JsonNode job = worker.awaitEvent(e -> e.path("event").asText().equals("process"), Duration.ofSeconds(20));
                    assertThat(job.get("name").asText()).isEqualTo("process-message");
                    assertThat(job.get("message").asText()).isEqualTo("Hi, book me");
                    assertThat(job.get("companyId").asText()).isEqualTo("acme");
                    assertThat(job.get("from").asText()).isEqualTo("+79001234567");
                    assertThat(job.get("batchSize").asInt()).isEqualTo(2);
                    worker.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(20));
                    await().atMost(Duration.ofSeconds(10)).until(() -> doctor(env, 500).get("bullmq").status()
                            == Check.Status.PASS);
                    Map<String, Check> healthy = doctor(env, 500);
                    assertThat(healthy.get("bullmq").evidence()).contains("company-acme-messages: 0 waiting")
                            .contains("1 completed").contains("1 worker(s)");
                    assertThat(healthy.get("clients").status()).as(healthy.get("clients").toString())
                            .isEqualTo(Check.Status.PASS);
                }
            }
        }
    }

    @Test
    void aRapidfireWorkerKilledBetweenAddingTheJobAndAcknowledgingTheBatchLeavesExactlyOneJob() throws Exception {
        Bullmq.home();
        try (RedisServer store = RedisServer.start(); RedisServer queues = RedisServer.start();
             TcpProxy toStore = new TcpProxy(store.port()); TcpProxy toQueues = new TcpProxy(queues.port())) {
            int port = RedisServer.freePort();
            Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", toStore.redisUrl() + "/0", "RAPIDFIRE_SINK", "bullmq",
                    "RAPIDFIRE_BULLMQ_REDIS_URL", toQueues.redisUrl() + "/0", "RAPIDFIRE_QUIET_MS", "200",
                    "RAPIDFIRE_LEASE_MS", "2000", "RAPIDFIRE_REDIS_TIMEOUT_MS", "30000", "RAPIDFIRE_PORT",
                    Integer.toString(port)));
            RapidfireProcess doomed = RapidfireProcess.start(env);
            try {
                doomed.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
                // 1. The queue Redis holds every byte: the delivery's script reaches the proxy and waits there.
                toQueues.stall();
                assertThat(post(port, "acme", "k1", "only-once-please").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> new String(toQueues.sentByClients(),
                        StandardCharsets.ISO_8859_1).contains("only-once-please"));
                // 2. The store holds every byte, so the acknowledgement that follows the job cannot land.
                toStore.stall();
                // 3. The job is written; the worker's acknowledgement is stuck on its way to the store.
                toQueues.restore();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        RedisCluster.on(queues, c -> c.llen("bull:company-acme-messages:wait")) == 1);
                // 4. kill -9 between the two.
                doomed.kill9();
                toStore.restore();
            } finally {
                doomed.close();
            }
            env.put("RAPIDFIRE_PORT", "0");
            try (RapidfireProcess heir = RapidfireProcess.start(env)) {
                heir.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
                // The lease runs out, the heir delivers the same batch again: the job exists, it is acknowledged.
                heir.awaitOutput("attempt=2", Duration.ofSeconds(30));
                try (Bullmq.WorkerProcess worker = Bullmq.worker(queues.port(), "bull", "company-acme-messages", "ok")) {
                    worker.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(20));
                    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                            .until(() -> worker.events("process").size() == 1);
                    JsonNode counts = Bullmq.queue(queues.port(), "bull", "company-acme-messages", "counts");
                    assertThat(counts.get("completed").asInt()).isEqualTo(1);
                    assertThat(counts.get("waiting").asInt() + counts.get("active").asInt()).isZero();
                    String added = RedisCluster.on(queues, c -> c.get("bull:company-acme-messages:id"));
                    assertThat(added).as("jobs ever added").isEqualTo("1");
                }
                Map<String, String> direct = new HashMap<>(env);
                direct.put("REDIS_URL", store.url());
                direct.put("RAPIDFIRE_BULLMQ_REDIS_URL", queues.url());
                await().atMost(Duration.ofSeconds(10)).until(() -> doctor(direct, 30_000).get("deliveries").status()
                        == Check.Status.PASS);
            }
        }
    }

    @Test
    void aProcessRefusesToStartOnAQueueOfAnUntestedBullmqVersion() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisCluster.<Boolean>on(redis, c -> c.hset("bull:company-acme-messages:meta", "version", "bullmq:5.12.0"));
            try (RapidfireProcess p = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_SINK", "bullmq",
                    "RAPIDFIRE_PORT", "0"))) {
                assertThat(p.awaitExit(Duration.ofSeconds(30))).isNotZero();
                assertThat(p.output()).contains("BullMQ queue company-acme-messages was written by bullmq:5.12.0")
                        .contains("6.x");
            }
        }
    }
}
