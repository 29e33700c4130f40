package io.rapidfire.core;

import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The core artifact is a library: it batches and delivers with only itself, Jackson and SLF4J on the class path
 * (this module's tests see exactly what a Java team embedding it would).
 */
@Tag("fast")
class CoreClassPathTest {
    @Test
    void theEngineBatchesAndDeliversWithNoHttpServerCliOrRedisClientOnTheClassPath() {
        for (String absent : List.of("io.javalin.Javalin", "picocli.CommandLine", "io.lettuce.core.RedisClient",
                "org.eclipse.jetty.server.Server", "ch.qos.logback.classic.Logger")) {
            assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
        }

        List<Batch> received = new CopyOnWriteArrayList<>();
        BatchStore store = MemoryBatchStore.builder().build();
        Batcher batcher = new Batcher(store, Policies.of(Policy.DEFAULT.withQuietMs(100)));
        try (Worker worker = new Worker(store, batch -> {
            received.add(batch);
            return DeliveryOutcome.ack("ok");
        }, WorkerSettings.builder("embedded").build()).start()) {
            ConversationRef person = new ConversationRef("acme", "whatsapp", "79001234567");
            batcher.append(Message.text(person, "wamid.1", "Hi,", null));
            batcher.append(Message.text(person, "wamid.2", "there", null));
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertThat(received.get(0).text()).isEqualTo("Hi, there");
            assertThat(received.get(0).reason()).isEqualTo(ReleaseReason.QUIET);
        }
        store.close();
    }
}
