package io.rapidfire.worker;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RecordingSink;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("redis")
class RedisRestartTest {
    /**
     * Redis (with AOF, fsync always) is killed while a batch is pending: the worker rides out the outage,
     * reconnects, reloads its scripts (NOSCRIPT) and delivers the batch, which survived in Redis.
     */
    @Test
    void aBatchPendingWhileRedisCrashesIsDeliveredAfterRedisComesBack() {
        try (RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
             RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test").timeout(Duration.ofMillis(500)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build()) {
            RecordingSink sink = new RecordingSink();
            try (Worker worker = new Worker(store, sink, WorkerSettings.builder("w").concurrency(2).lease(Duration.ofSeconds(30)).maxAttempts(5).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).safetyPoll(Duration.ofMillis(200)).shutdownGrace(Duration.ofSeconds(1)).build())) {
                ConversationRef c = new ConversationRef("acme", "whatsapp", "79001234567");
                Policy p = new Policy(1_000, 10_000, 10, 1_000, " ");
                store.append(Message.text(c, "m1", "Hi,", null), p);
                store.append(Message.text(c, "m2", "still there?", null), p);
                worker.start();

                redis.crashAndRestart();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(sink.acked()).hasSize(1));
                assertThat(sink.acked().get(0).batch().text()).isEqualTo("Hi, still there?");
                assertThat(store.counts().pending()).isZero();
            }
        }
    }

    @Test
    void withoutPersistenceACrashLosesPendingBatchesWhichIsWhyTheDocsAskForAof() {
        try (RedisServer redis = RedisServer.start();
             RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test").timeout(Duration.ofMillis(500)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build()) {
            ConversationRef c = new ConversationRef("acme", "whatsapp", "79001234567");
            store.append(Message.text(c, "m1", "Hi,", null), Policy.DEFAULT);
            redis.crashAndRestart();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                    .until(() -> store.counts() != null);
            assertThat(store.counts().pending()).isZero();
        }
    }
}
