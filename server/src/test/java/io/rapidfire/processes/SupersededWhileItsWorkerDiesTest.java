package io.rapidfire.processes;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One answer per thought across a kill -9: the superseded batch is never delivered again, the merged one once. */
@Tag("processes")
class SupersededWhileItsWorkerDiesTest {
    @Test
    void aBatchSupersededAfterItsWorkerWasKilledIsNeverDeliveredAgainAndTheMergedOneIsDeliveredOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (RedisServer redis = RedisServer.start();
             HttpReceiver bot = new HttpReceiver(r -> calls.incrementAndGet() == 1
                     ? new Answer(200, Map.of(), 20_000) : Answer.status(200));
             RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test")
                     .timeout(Duration.ofSeconds(2)).namespace("rf").partitions(16).dedupWindow(Duration.ofMinutes(1))
                     .build()) {
            Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_SINK", "http",
                    "RAPIDFIRE_SINK_URL", bot.url(), "RAPIDFIRE_LEASE_MS", "2000", "RAPIDFIRE_SINK_TIMEOUT_MS", "60000");
            ConversationRef c = new ConversationRef("acme", "whatsapp", "79001234567");
            Policy p = new Policy(200, 30_000, 10, 16_384, " ").withSupersede(true);
            store.append(Message.text(c, "m1", "I want", null), p);

            try (RapidfireProcess doomed = RapidfireProcess.start(env, "worker")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bot.requests().size() == 1);
                doomed.kill9();
                assertThat(doomed.isAlive()).isFalse();
            }
            String superseded = MessageCodec.JSON.readTree(bot.requests().get(0).body()).get("batchId").asText();
            store.append(Message.text(c, "m2", "a haircut", null), p);

            try (RapidfireProcess heir = RapidfireProcess.start(env, "worker")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bot.requests().size() == 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.counts().inflight() == 0
                        && store.counts().pending() == 0);
                // Past the dead worker's lease: had the superseded batch stayed in flight, it would be back by now.
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                        .until(() -> bot.requests().size() == 2);
                JsonNode merged = MessageCodec.JSON.readTree(bot.requests().get(1).body());
                assertThat(merged.get("text").asText()).isEqualTo("I want a haircut");
                assertThat(merged.get("supersedes").get(0).asText()).isEqualTo(superseded);
                assertThat(merged.get("batchId").asText()).isNotEqualTo(superseded);
                heir.stop();
            }
        }
    }
}
