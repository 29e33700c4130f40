package io.rapidfire.core;

import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The README's embedding snippet, compiled and run as written: no HTTP server involved. */
@Tag("redis")
class EmbeddingTest {
    interface Bot {
        void answer(ConversationRef conversation, String text);
    }

    @Test
    void theReadmesEmbeddingSnippetBatchesAndDeliversThroughRedis() {
        List<String> answered = new CopyOnWriteArrayList<>();
        Bot bot = (conversation, text) -> answered.add(text);
        try (RedisServer server = RedisServer.start()) {
            String redisUrl = server.url();
            // --- the README snippet, verbatim (readmeSnippetIsTheCodeThisTestRuns checks it) ---
            RedisBatchStore store = RedisBatchStore.builder(redisUrl).clientName("my-app").partitions(16).build();
            Batcher batcher = new Batcher(store, Policies.of(Policy.DEFAULT.withQuietMs(2_000)));
            Worker worker = new Worker(store, batch -> {
                bot.answer(batch.conversation(), batch.text());         // hand the batch to your bot
                return DeliveryOutcome.ack("ok");
            }, WorkerSettings.builder("worker-1").lease(Duration.ofSeconds(30)).build()).start();
            batcher.append(Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "wamid.1", "Hi,", null));
            // --- end of the snippet ---
            batcher.append(Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "wamid.2", "there", null));
            await().atMost(Duration.ofSeconds(10)).until(() -> answered.size() == 1);
            assertThat(answered).containsExactly("Hi, there");
            worker.close();
            store.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("rapidfire-worker-worker-1"));
    }

    @Test
    void readmeSnippetIsTheCodeThisTestRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has a java block").isTrue();
        String self = Files.readString(Path.of("src/test/java/io/rapidfire/core/EmbeddingTest.java"));
        for (String line : m.group(1).split("\\n")) {
            if (!line.isBlank()) {
                assertThat(self).as("README line is in EmbeddingTest").contains(line.strip());
            }
        }
    }

    @Test
    void aBuilderValueOutOfRangeNamesTheSettingItsRangeAndDefault() {
        assertThatThrownBy(() -> RedisBatchStore.builder("redis://127.0.0.1:1").partitions(0).build())
                .hasMessage("partitions is 0; it must be a whole number from 1 to 4096 (setting RAPIDFIRE_PARTITIONS, default 16)");
        assertThatThrownBy(() -> WorkerSettings.builder("w").lease(Duration.ofMillis(10)).build())
                .hasMessageContaining("lease is 10; it must be a whole number from 1000 to 3600000 (setting RAPIDFIRE_LEASE_MS");
        assertThatThrownBy(() -> WorkerSettings.builder("w").retryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
                .hasMessageContaining("RAPIDFIRE_RETRY_MAX_MS");
        assertThatThrownBy(() -> RedisBatchStore.builder("http://nope").build()).hasMessageStartingWith("REDIS_URL");
        assertThatThrownBy(() -> RedisBatchStore.builder("redis://127.0.0.1:1").namespace("a b").build())
                .hasMessageContaining("RAPIDFIRE_NAMESPACE");
    }
}
