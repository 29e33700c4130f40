package io.rapidfire.processes;

import io.rapidfire.ops.doctor.DoctorOptions;
import org.junit.jupiter.api.Tag;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.config.ConfigLoader;
import io.rapidfire.ops.doctor.Check;
import io.rapidfire.ops.doctor.Doctor;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Redis, real api and worker processes; each doctor check is made to FAIL by its real cause, and every
 * check PASSes for a healthy deployment.
 */
@Tag("processes")
class DoctorTest {
    private final List<AutoCloseable> started = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void stop() throws Exception {
        List<AutoCloseable> reversed = new java.util.ArrayList<>(started);
        java.util.Collections.reverse(reversed);
        RapidfireProcess.closeAll(reversed);
    }

    private RedisServer redis(String... args) {
        redis = RedisServer.start(args);
        started.add(redis);
        return redis;
    }

    private Map<String, String> env(int db, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redis.url(db), "RAPIDFIRE_HEARTBEAT_MS", "200",
                "RAPIDFIRE_PORT", "0", "RAPIDFIRE_OPEN_ROUTES", "all"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private RapidfireProcess process(Map<String, String> env, String role) {
        RapidfireProcess p = RapidfireProcess.start(env, role);
        started.add(p);
        p.awaitOutput("Rapidfire " + role + " running", Duration.ofSeconds(30));
        return p;
    }

    private Map<String, Check> doctor(int watchSeconds, long overdueMs) {
        return doctor(watchSeconds, overdueMs, List.of());
    }

    private Map<String, Check> doctor(int watchSeconds, long overdueMs, List<Integer> otherPorts) {
        List<Check> checks = new Doctor(ConfigLoader.load(Map.of("REDIS_URL", redis.url(0)), Map.of()),
                new DoctorOptions(overdueMs, 3_000, watchSeconds, otherPorts)).run();
        Map<String, Check> byName = new HashMap<>();
        checks.forEach(c -> byName.put(c.name(), c));
        System.out.println(String.join("\n", checks.stream().map(Check::toString).toList()));
        return byName;
    }

    private static void post(int port, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhook/whatsapp/batched"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aHealthyDeploymentPassesEveryCheckAndTheDoctorExitsZero() {
        redis("--appendonly", "yes");
        process(env(0), "api");
        process(env(0), "worker");
        Map<String, Check> c = doctor(1, 30_000);
        assertThat(c.values()).allSatisfy(k -> assertThat(k.status()).as(k.toString()).isEqualTo(Check.Status.PASS));
        assertThat(c).containsKeys("redis", "redis-settings", "processes", "redis-errors", "same-redis", "config",
                "overdue", "probe", "clients", "watch", "clock");
        assertThat(c.get("config").evidence()).as("the release policy the processes run")
                .contains("release: quiet", "typing-aware on (grace 1000 ms");

        RapidfireProcess cli = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(0)), "doctor");
        started.add(cli);
        assertThat(cli.awaitExit(Duration.ofSeconds(60))).as(cli.output()).isZero();
        assertThat(cli.output()).contains("PASS  probe");
    }

    @Test
    void aWorkerOnAnotherDatabaseIsFoundAndNamed() {
        redis("--appendonly", "yes");
        process(env(0), "api");
        RapidfireProcess worker = process(env(1), "worker");
        Map<String, Check> c = doctor(0, 30_000);
        assertThat(c.get("same-redis").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("same-redis").evidence()).contains("worker pid " + worker.pid()).contains("uses db 1")
                .contains("you are looking at 127.0.0.1:" + redis.port() + " db 0");
        assertThat(c.get("processes").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("probe").status()).isEqualTo(Check.Status.FAIL);

        RapidfireProcess cli = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(0)), "doctor", "--probe-ms", "500");
        started.add(cli);
        assertThat(cli.awaitExit(Duration.ofSeconds(60))).as("exit status on FAIL").isEqualTo(1);
        assertThat(cli.output()).contains("FAIL  same-redis").contains("uses db 1");
    }

    @Test
    void aWorkerOnAnotherRedisPortIsFoundAndNamed() {
        redis("--appendonly", "yes");
        RedisServer other = RedisServer.start();
        started.add(other);
        process(env(0), "api");
        RapidfireProcess worker = process(Map.of("REDIS_URL", other.url(0), "RAPIDFIRE_HEARTBEAT_MS", "200"), "worker");
        Map<String, Check> c = doctor(0, 30_000, List.of(other.port()));
        assertThat(c.get("same-redis").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("same-redis").evidence()).contains("worker pid " + worker.pid())
                .contains("uses port " + other.port() + " db 0");
    }

    @Test
    void aStoppedWorkerLeavesBatchesOverdueAndTheProbeUnanswered() throws Exception {
        redis("--appendonly", "yes");
        RapidfireProcess api = process(env(0, "RAPIDFIRE_QUIET_MS", "100", "RAPIDFIRE_PORT", "0"), "api");
        RapidfireProcess worker = process(env(0, "RAPIDFIRE_QUIET_MS", "100"), "worker");
        worker.kill9();
        int port = Integer.parseInt(api.output().replaceAll("(?s).*webhooks on http://[^:]+:(\\d+)/.*", "$1"));
        post(port, "{\"from\": \"79001234567\", \"message\": \"anyone there?\"}");
        await().pollDelay(Duration.ofMillis(1_500)).until(() -> true);
        Map<String, Check> c = doctor(0, 1_000);
        assertThat(c.get("processes").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("processes").evidence()).contains("no live worker");
        assertThat(c.get("overdue").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("overdue").evidence()).contains("no worker is processing this database").doesNotContain("79001234567");
        assertThat(c.get("probe").status()).isEqualTo(Check.Status.FAIL);
    }

    @Test
    void aForeignClientDeletingRapidfireKeysIsCaughtInTheAct() throws Exception {
        redis("--appendonly", "yes");
        process(env(0), "api");
        process(env(0), "worker");
        RedisClient stranger = RedisClient.create(redis.url(0));
        AtomicBoolean go = new AtomicBoolean(true);
        Thread t = new Thread(() -> {
            try (StatefulRedisConnection<String, String> c = stranger.connect()) {
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (go.get() && System.nanoTime() < end) {
                    c.sync().del("rf:{p3}:open:default:whatsapp:+79001234567");
                    io.rapidfire.testing.InputPace.typingPause(50);
                }
            }
        });
        t.start();
        try {
            Map<String, Check> c = doctor(2, 30_000);
            assertThat(c.get("clients").status()).isEqualTo(Check.Status.WARN);
            assertThat(c.get("watch").status()).isEqualTo(Check.Status.FAIL);
            assertThat(c.get("watch").evidence()).contains("DEL rf:{p3}:open:").contains("named nothing")
                    .as("the key names a person: masked like every log line").doesNotContain("79001234567");
        } finally {
            go.set(false);
            t.join();
            stranger.shutdown();
        }
    }

    @Test
    void anEvictingRedisFailsTheDoctorAndStopsTheApiFromStartingUnlessAllowed() {
        redis("--maxmemory-policy", "allkeys-lru", "--maxmemory", "100mb");
        RapidfireProcess refused = RapidfireProcess.start(env(0), "api");
        started.add(refused);
        assertThat(refused.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(refused.output()).contains("maxmemory-policy allkeys-lru").contains("CONFIG SET maxmemory-policy noeviction")
                .contains("RAPIDFIRE_ALLOW_EVICTION");
        process(env(0, "RAPIDFIRE_ALLOW_EVICTION", "true"), "api");
        process(env(0, "RAPIDFIRE_ALLOW_EVICTION", "true"), "worker");
        Map<String, Check> c = doctor(0, 30_000);
        assertThat(c.get("redis-settings").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("redis-settings").evidence()).contains("allkeys-lru");
    }

    @Test
    void noPersistenceIsAWarning() {
        redis();
        process(env(0), "api");
        process(env(0), "worker");
        Map<String, Check> c = doctor(0, 30_000);
        assertThat(c.get("redis-settings").status()).isEqualTo(Check.Status.WARN);
        assertThat(c.get("redis-settings").evidence()).contains("no persistence");
    }

    @Test
    void twoProcessesWithDifferentSettingsAreShownSideBySide() {
        redis("--appendonly", "yes");
        RapidfireProcess api = process(env(0, "RAPIDFIRE_QUIET_MS", "1000", "RAPIDFIRE_WEBHOOK_SECRET", "s3cret"), "api");
        RapidfireProcess worker = process(env(0, "RAPIDFIRE_QUIET_MS", "5000"), "worker");
        Map<String, Check> c = doctor(0, 30_000);
        assertThat(c.get("config").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("config").evidence()).contains("RAPIDFIRE_QUIET_MS").contains("api pid " + api.pid() + " = 1000")
                .contains("worker pid " + worker.pid() + " = 5000").doesNotContain("s3cret");
    }

    @Test
    void aProcessWithASkewedClockIsReported() {
        redis("--appendonly", "yes");
        process(env(0), "api");
        RapidfireProcess worker = process(env(0, "RAPIDFIRE_TEST_CLOCK_OFFSET_MS", "4000"), "worker");
        Map<String, Check> c = doctor(0, 30_000);
        assertThat(c.get("clock").status()).isEqualTo(Check.Status.FAIL);
        assertThat(c.get("clock").evidence()).contains("worker pid " + worker.pid()).contains("ms off the Redis clock");
    }

    @Test
    void processesThatLostRedisReportTheirErrors() {
        redis("--appendonly", "yes", "--appendfsync", "always");
        process(env(0), "api");
        process(env(0), "worker");
        redis.crashAndRestart();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Check> c = doctor(0, 30_000);
            assertThat(c.get("redis-errors").status()).isEqualTo(Check.Status.FAIL);
            assertThat(c.get("redis-errors").evidence()).containsAnyOf("reconnected", "saw \"");
        });
    }
}
