package io.rapidfire.ingest;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.rapidfire.core.Policy;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.IngestHarness;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis out of memory (maxmemory under noeviction, the policy Rapidfire requires): the webhook answers 503 saying
 * the store is full (not merely "unavailable"), counts it as store_full, the doctor names it, and the retry once
 * the limit is raised is stored once.
 */
@Tag("redis")
class StoreFullTest {
    private static final String MESSAGE = "{\"from\": \"79001234567\", \"message\": \"hi\", \"messageId\": \"full-1\"}";

    private static long usedMemory(RedisCommands<String, String> r) {
        return Long.parseLong(r.info("memory").lines().filter(l -> l.startsWith("used_memory:")).findFirst()
                .orElseThrow().substring("used_memory:".length()).trim());
    }

    @Test
    void aFullRedisIsNamedInTheAnswerTheMetricsAndTheDoctorAndTheRetryIsStoredOnce() {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction");
             RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test-full")
                    .timeout(Duration.ofSeconds(2)).partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
            try (IngestHarness h = new IngestHarness(store, IngestSettings.defaults(),
                    new Policy(60_000, 120_000, 10, 16_384, " "), false)) {
                // Full for any write: a limit below what Redis already uses (it evicts nothing under noeviction).
                long used = usedMemory(r);
                r.configSet("maxmemory", "1");
                assertThat(r.info("memory")).contains("maxmemory:1");
                HttpResponse<String> refused = h.post("/webhook/whatsapp/batched", MESSAGE);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("NOT stored", "the batch store is full", "maxmemory");
                assertThat(h.get("/metrics").body()).contains("rapidfire_requests_rejected_total{reason=\"store_full\"} 1.0");
                io.rapidfire.testing.Cli.Run doctor = io.rapidfire.testing.Cli.run("doctor", "--set",
                        "REDIS_URL=" + redis.url(), "--probe-ms", "100");
                assertThat(doctor.out()).as("the doctor names the cause").containsPattern(
                        "FAIL +redis-settings.*memory (9[5-9]|100)% of maxmemory: Redis is full and refuses writes");

                // The operator raises the limit (the other remedy is freeing memory).
                r.configSet("maxmemory", Long.toString(used + 10_000_000));
                HttpResponse<String> retry = h.post("/webhook/whatsapp/batched", MESSAGE);
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
                assertThat(h.post("/webhook/whatsapp/batched", MESSAGE).body()).contains("\"duplicates\":1");
                assertThat(store.pending(10)).singleElement().satisfies(p -> assertThat(p.messages()).isEqualTo(1));
            }
        }
    }
}
