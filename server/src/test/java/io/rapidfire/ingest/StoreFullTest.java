package io.rapidfire.ingest;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
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
 * the store is full (not merely "unavailable"), counts it as store_full, and the retry once memory is freed is
 * stored once.
 */
@Tag("redis")
class StoreFullTest {
    private static final String MESSAGE = "{\"from\": \"79001234567\", \"message\": \"hi\", \"messageId\": \"full-1\"}";

    private static long usedMemory(RedisCommands<String, String> r) {
        return Long.parseLong(r.info("memory").lines().filter(l -> l.startsWith("used_memory:")).findFirst()
                .orElseThrow().substring("used_memory:".length()).trim());
    }

    @Test
    void aFullRedisIsNamedInTheAnswerAndTheRetryAfterFreeingMemoryIsStoredOnce() {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction");
             RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.configSet("maxmemory", Long.toString(usedMemory(r) + 2_000_000));
            String chunk = "x".repeat(100_000);
            int filled = 0;
            try {
                for (; filled < 1_000; filled++) {
                    r.set("filler:" + filled, chunk);
                }
            } catch (RedisException full) {
                assertThat(full.getMessage()).contains("OOM");
            }
            assertThat(filled).as("Redis filled up before 1,000 chunks").isLessThan(1_000);
            // Full for any write, however small: the limit just below what is used now.
            r.configSet("maxmemory", Long.toString(usedMemory(r) - 50_000));

            RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test-full")
                    .timeout(Duration.ofSeconds(2)).partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
            try (IngestHarness h = new IngestHarness(store, IngestSettings.defaults(),
                    new Policy(60_000, 120_000, 10, 16_384, " "), false)) {
                HttpResponse<String> refused = h.post("/webhook/whatsapp/batched", MESSAGE);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("NOT stored", "the batch store is full", "maxmemory");
                assertThat(h.get("/metrics").body()).contains("rapidfire_requests_rejected_total{reason=\"store_full\"} 1.0");
                io.rapidfire.testing.Cli.Run doctor = io.rapidfire.testing.Cli.run("doctor", "--set",
                        "REDIS_URL=" + redis.url(), "--probe-ms", "100");
                assertThat(doctor.out()).as("the doctor names the cause").containsPattern(
                        "FAIL +redis-settings.*memory (9[5-9]|100)% of maxmemory: Redis is full and refuses writes");

                for (int i = 0; i < filled; i++) {
                    r.del("filler:" + i);
                }
                HttpResponse<String> retry = h.post("/webhook/whatsapp/batched", MESSAGE);
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
                assertThat(h.post("/webhook/whatsapp/batched", MESSAGE).body()).contains("\"duplicates\":1");
                assertThat(store.pending(10)).singleElement().satisfies(p -> assertThat(p.messages()).isEqualTo(1));
            }
        }
    }
}
