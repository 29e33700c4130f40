package io.rapidfire.core;

import org.junit.jupiter.api.Tag;

import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's embedding snippet, as a Java team would write it: no HTTP server involved. */
@Tag("redis")
class EmbeddingTest {
    @Test
    void theEngineCanBeEmbeddedWithABatcherAStoreAndAWorker() {
        List<Batch> received = new CopyOnWriteArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            BatchStore store = RedisBatchStore.builder(redis.url()).clientName("my-app").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(16).dedupWindow(Duration.ofDays(1)).build();
            Batcher batcher = new Batcher(store, Policies.of(Policy.DEFAULT.withQuietMs(200)));
            Worker worker = new Worker(store, batch -> {
                received.add(batch);
                return DeliveryOutcome.ack("ok");
            }, WorkerSettings.builder("worker-1").concurrency(16).lease(Duration.ofSeconds(30)).maxAttempts(8).retryBackoff(Duration.ofSeconds(1), Duration.ofMillis(300_000)).safetyPoll(Duration.ofSeconds(1)).shutdownGrace(Duration.ofMillis(10_000)).build()).start();
            batcher.append(Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "wamid.1", "Hi,", null));
            batcher.append(Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "wamid.2", "there", null));
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertThat(received.get(0).text()).isEqualTo("Hi, there");
            worker.close();
            store.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("rapidfire-worker-worker-1"));
    }
}
