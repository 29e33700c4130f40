package io.rapidfire.processes;

import org.junit.jupiter.api.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.HttpReceiver.Answer;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("processes")
class WorkerKilledDuringDeliveryTest {
    @Test
    void aWorkerKilledWithKill9MidDeliveryHasItsBatchRedeliveredWithTheSameIdByAnotherWorker() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // The bot hangs on the first delivery (so the worker is mid-delivery when it dies), answers the rest.
        try (RedisServer redis = RedisServer.start();
             HttpReceiver bot = new HttpReceiver(r -> calls.incrementAndGet() == 1
                     ? new Answer(200, Map.of(), 20_000) : Answer.status(200));
             RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(16).dedupWindow(Duration.ofMinutes(1)).build()) {
            Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_SINK", "http",
                    "RAPIDFIRE_SINK_URL", bot.url(), "RAPIDFIRE_LEASE_MS", "2000",
                    "RAPIDFIRE_SINK_TIMEOUT_MS", "60000");
            ConversationRef c = new ConversationRef("acme", "whatsapp", "79001234567");
            Policy p = new Policy(200, 5_000, 10, 16_384, " ");
            store.append(Message.text(c, "m1", "Hi,", null), p);
            store.append(Message.text(c, "m2", "book me", null), p);

            try (RapidfireProcess doomed = RapidfireProcess.start(env, "worker")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bot.requests().size() == 1);
                doomed.kill9();
                assertThat(doomed.isAlive()).isFalse();
            }
            long killedAt = System.currentTimeMillis();
            assertThat(store.inflight(10)).singleElement().satisfies(f -> assertThat(f.state()).isEqualTo(io.rapidfire.core.FlightState.LEASED));

            try (RapidfireProcess heir = RapidfireProcess.start(env, "worker")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bot.requests().size() == 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.counts().inflight() == 0);
                List<HttpReceiver.Request> reqs = bot.requests();
                JsonNode first = MessageCodec.JSON.readTree(reqs.get(0).body());
                JsonNode second = MessageCodec.JSON.readTree(reqs.get(1).body());
                assertThat(reqs.get(1).header("Idempotency-Key")).isEqualTo(reqs.get(0).header("Idempotency-Key"))
                        .isEqualTo(first.get("batchId").asText());
                assertThat(second.get("batchId").asText()).isEqualTo(first.get("batchId").asText());
                assertThat(second.get("messages")).isEqualTo(first.get("messages"));
                assertThat(second.get("text").asText()).isEqualTo("Hi, book me");
                assertThat(second.get("attempt").asInt()).isEqualTo(2);
                assertThat(reqs.get(1).header("X-Rapidfire-Attempt")).isEqualTo("2");
                System.out.println("redelivered " + (reqs.get(1).atMillis() - killedAt) + " ms after kill -9 (lease 2000 ms)");
                heir.stop();
            }
        }
    }
}
