package io.rapidfire.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.bullmq.BullmqSettings;
import io.rapidfire.delivery.bullmq.BullmqSink;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.Bullmq;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One answer per thought through the BullMQ sink, with a stock BullMQ Worker (npm): a job that still waits when the
 * person writes again is withdrawn and one merged job follows; a job a worker already took counts as committed and
 * the new message is the next job. Either way the stock worker answers every message exactly once.
 */
@Tag("processes")
class BullmqSupersedeTest {
    private static final Policy SUPERSEDE = new Policy(100, 30_000, 10, 16_384, " ").withTyping(false, 1_000, 10_000)
            .withSupersede(true);
    private static RedisServer redis;
    private static RedisBatchStore store;

    @BeforeAll
    static void start() {
        Bullmq.home();
        redis = RedisServer.start();
        store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test").timeout(Duration.ofSeconds(2))
                .namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
    }

    @AfterAll
    static void stop() {
        store.close();
        redis.close();
    }

    private static Worker worker() {
        BullmqSink sink = new BullmqSink(store.link(), false, new BullmqSettings(BullmqSettings.DEFAULT_QUEUE, "bull",
                BullmqSettings.DEFAULT_JOB_NAME, 3, 1_000, 60_000), new CommitLinks(() -> "http://127.0.0.1:1", store));
        return new Worker(store, sink, WorkerSettings.builder("w").concurrency(8).lease(Duration.ofSeconds(30))
                .commitTimeout(Duration.ofSeconds(60)).build()).start();
    }

    @Test
    void aJobStillWaitingWhenThePersonWritesAgainIsWithdrawnAndOneMergedJobFollows() throws Exception {
        String queue = "company-waiting-messages";
        ConversationRef c = new ConversationRef("waiting", "whatsapp", "+79001234567");
        Bullmq.queue(redis.port(), "bull", queue, "pause");
        try (Worker rapidfire = worker()) {
            store.append(Message.text(c, "m1", "I want", null), SUPERSEDE);
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting(queue) == 1);
            store.append(Message.text(c, "m2", "a haircut", null), SUPERSEDE);
            await().atMost(Duration.ofSeconds(10)).until(() -> rapidfire.superseded() == 1 && waiting(queue) == 1
                    && store.counts().pending() == 0);
            try (Bullmq.WorkerProcess bull = Bullmq.worker(redis.port(), "bull", queue, "ok")) {
                Bullmq.queue(redis.port(), "bull", queue, "resume");
                JsonNode job = bull.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(20));
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> bull.events("process").size() == 1);
                JsonNode processed = bull.events("process").get(0);
                assertThat(processed.get("message").asText()).isEqualTo("I want a haircut");
                assertThat(processed.get("data").get("metadata").get("supersedes")).hasSize(1);
                assertThat(processed.get("data").get("metadata").get("commitUrl").asText()).contains("/commit?p=");
                assertThat(job.get("id").asText()).isEqualTo(processed.get("id").asText());
            }
        }
    }

    @Test
    void aJobAStockWorkerAlreadyTookCountsAsCommittedAndTheNewMessageIsTheNextJob() throws Exception {
        String queue = "company-taken-messages";
        ConversationRef c = new ConversationRef("taken", "whatsapp", "+79001234567");
        try (Bullmq.WorkerProcess bull = Bullmq.worker(redis.port(), "bull", queue, "ok");
             Worker rapidfire = worker()) {
            bull.awaitEvent(e -> e.path("event").asText().equals("ready"), Duration.ofSeconds(20));
            store.append(Message.text(c, "m1", "Hello", null), SUPERSEDE);
            bull.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(20));
            store.append(Message.text(c, "m2", "are you open today?", null), SUPERSEDE);
            await().atMost(Duration.ofSeconds(20)).until(() -> bull.events("completed").size() == 2);
            List<String> answered = bull.events("process").stream().map(e -> e.get("message").asText()).toList();
            assertThat(answered).containsExactly("Hello", "are you open today?");
            assertThat(rapidfire.superseded()).isZero();
        }
    }

    private static int waiting(String queue) {
        return Bullmq.queue(redis.port(), "bull", queue, "counts").get("waiting").asInt();
    }
}
