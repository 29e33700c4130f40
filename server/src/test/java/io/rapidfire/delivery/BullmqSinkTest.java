package io.rapidfire.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Batch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.delivery.bullmq.BullmqSettings;
import io.rapidfire.delivery.bullmq.BullmqSink;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.testing.Bullmq;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BullMQ sink against the real thing: a real redis-server, the newest bullmq 6.x from npm, and a stock BullMQ
 * Worker in a Node process written as the original's AI worker. Each test its own queue (tenant).
 */
@Tag("processes")
class BullmqSinkTest {
    private static RedisServer redis;
    private static RedisLink link;
    private static final AtomicInteger tenants = new AtomicInteger();

    @BeforeAll
    static void start() {
        Bullmq.home();
        redis = RedisServer.start();
        link = RedisLink.open(redis.url(), "rapidfire:test-bullmq", Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        link.close();
        redis.close();
    }

    private static String tenant() {
        return "co" + tenants.incrementAndGet();
    }

    private static BullmqSink sink(int attempts, long backoffMs) {
        return new BullmqSink(link, false, new BullmqSettings(BullmqSettings.DEFAULT_QUEUE, "bull",
                BullmqSettings.DEFAULT_JOB_NAME, attempts, backoffMs, 60_000));
    }

    private static Batch batch(String tenant, String id, String... texts) {
        ConversationRef c = new ConversationRef(tenant, "whatsapp", "+79001234567");
        List<StoredMessage> stored = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            stored.add(new StoredMessage(Message.text(c, "wamid." + id + "." + i, texts[i], null), 1_000 + 400L * i));
        }
        return Batch.of(id, c, 1, stored, ReleaseReason.QUIET, 1, " ");
    }

    private static String queue(String tenant) {
        return "company-" + tenant + "-messages";
    }

    @Test
    void aBatchBecomesOneJobWithTheOriginalsNameAndDataAndAStockWorkerCompletesIt() throws Exception {
        String t = tenant();
        try (Bullmq.WorkerProcess worker = Bullmq.worker(redis.port(), "bull", queue(t), "ok")) {
            Batch b = batch(t, "batch-" + t, "Hi,", "book me", "for a haircut");
            DeliveryOutcome o = sink(3, 2_000).deliver(b);
            assertThat(o.kind()).as(o.detail()).isEqualTo(DeliveryOutcome.Kind.ACK);
            assertThat(o.detail()).contains("added to bull:" + queue(t)).contains("waiting");

            JsonNode job = worker.awaitEvent(e -> e.path("event").asText().equals("process"), Duration.ofSeconds(20));
            assertThat(job.get("id").asText()).isEqualTo(b.batchId());
            assertThat(job.get("name").asText()).isEqualTo("process-message");
            JsonNode d = job.get("data");
            assertThat(d.get("from").asText()).isEqualTo("+79001234567");
            assertThat(d.get("message").asText()).isEqualTo("Hi, book me for a haircut");
            assertThat(d.get("companyId").asText()).isEqualTo(t);
            assertThat(d.get("platform").asText()).isEqualTo("whatsapp");
            assertThat(d.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            JsonNode m = d.get("metadata");
            assertThat(m.get("isRapidFireBatch").asBoolean()).isTrue();
            assertThat(m.get("batchSize").asInt()).isEqualTo(3);
            assertThat(m.get("batchTimeSpan").asLong()).isEqualTo(800);
            assertThat(m.get("messageId").asText()).isEqualTo("wamid.batch-" + t + ".2");
            assertThat(m.get("type").asText()).isEqualTo("text");
            assertThat(m.get("originalMessages")).hasSize(3);
            assertThat(d.get("batchId").asText()).isEqualTo(b.batchId());
            assertThat(d.get("reason").asText()).isEqualTo("quiet");
            assertThat(d.get("messages")).hasSize(3);
            assertThat(job.get("opts").get("attempts").asInt()).isEqualTo(3);
            assertThat(job.get("opts").get("backoff").get("type").asText()).isEqualTo("exponential");
            assertThat(job.get("opts").get("backoff").get("delay").asLong()).isEqualTo(2_000);

            worker.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(20));
            JsonNode counts = Bullmq.queue(redis.port(), "bull", queue(t), "counts");
            assertThat(counts.get("completed").asInt()).isEqualTo(1);
            assertThat(counts.get("waiting").asInt() + counts.get("active").asInt() + counts.get("failed").asInt()).isZero();
            // The events stream tells the same story a dashboard reads.
            List<String> events = link.commands().xrange("bull:" + queue(t) + ":events",
                    io.lettuce.core.Range.create("-", "+")).stream()
                    .filter(e -> b.batchId().equals(e.getBody().get("jobId")))
                    .map(e -> e.getBody().get("event")).toList();
            assertThat(events).containsSubsequence("added", "waiting", "active", "completed");
        }
    }

    @Test
    void whileAHumanHasTheChatItsBatchesAndHandoverEventsGoToTheHandoverQueueTheAiWorkerDoesNotRead() throws Exception {
        String t = tenant();
        Batch marked = batch(t, "ho-" + t, "is anyone there?").withHandover(true);
        ConversationRef c = marked.conversation();
        Batch event = Batch.of("ev-" + t, c, 2, List.of(new StoredMessage(new Message("handover-ended-1", c,
                io.rapidfire.core.MessageType.HANDOVER, "", null, 0, List.of(), java.util.Map.of("handover", "ended")),
                2_000)), ReleaseReason.HANDOVER, 1, " ");
        BullmqSink s = sink(3, 2_000);
        assertThat(s.deliver(marked).detail()).contains("added to bull:" + queue(t) + "-handover");
        assertThat(s.deliver(event).detail()).contains("added to bull:" + queue(t) + "-handover");
        assertThat(s.deliver(batch(t, "ai-" + t, "hello")).detail()).contains("added to bull:" + queue(t) + " (");
        // Redelivered after the human handed back (claimed unmarked this time): still one batch, one job.
        assertThat(s.deliver(marked.withHandover(false)).detail()).contains("already in").contains("not added again");
        JsonNode ai = Bullmq.queue(redis.port(), "bull", queue(t), "counts");
        JsonNode handover = Bullmq.queue(redis.port(), "bull", queue(t) + "-handover", "counts");
        assertThat(ai.get("waiting").asInt()).as("the AI worker's queue: only the unmarked batch").isEqualTo(1);
        assertThat(handover.get("waiting").asInt()).isEqualTo(2);
    }

    @Test
    void aBatchDeliveredAgainIsNotASecondJobEvenAfterBullmqRemovedTheFirst() throws Exception {
        String t = tenant();
        Batch b = batch(t, "again-" + t, "Hi");
        BullmqSink s = sink(3, 2_000);
        assertThat(s.deliver(b).detail()).contains("added");
        assertThat(link.commands().zrange("bull:" + queue(t) + ":marker", 0, -1)).as("the marker that wakes workers")
                .containsExactly("0");
        DeliveryOutcome second = s.deliver(b);
        assertThat(second.kind()).isEqualTo(DeliveryOutcome.Kind.ACK);
        assertThat(second.detail()).contains("already in").contains("job exists");
        // As removeOnComplete would: the job is gone, the hand-off is remembered.
        link.commands().del("bull:" + queue(t) + ":" + b.batchId());
        assertThat(s.deliver(b).detail()).contains("handed off before");
        assertThat(link.commands().llen("bull:" + queue(t) + ":wait")).isEqualTo(1);
    }

    @Test
    void aWorkerThatThrowsSeesBullmqRetryWithTheConfiguredExponentialBackoff() throws Exception {
        String t = tenant();
        try (Bullmq.WorkerProcess worker = Bullmq.worker(redis.port(), "bull", queue(t), "fail")) {
            sink(3, 300).deliver(batch(t, "fails-" + t, "Hi"));
            worker.awaitEvent(e -> e.path("event").asText().equals("failed") && e.path("attemptsMade").asInt() == 3,
                    Duration.ofSeconds(30));
            List<JsonNode> tries = worker.events("process");
            assertThat(tries).extracting(e -> e.get("attemptsMade").asInt()).containsExactly(0, 1, 2);
            long first = tries.get(1).get("at").asLong() - tries.get(0).get("at").asLong();
            long second = tries.get(2).get("at").asLong() - tries.get(1).get("at").asLong();
            assertThat(first).as("backoff 300 ms, then 600 ms").isGreaterThanOrEqualTo(300);
            assertThat(second).isGreaterThanOrEqualTo(600);
            JsonNode counts = Bullmq.queue(redis.port(), "bull", queue(t), "counts");
            assertThat(counts.get("failed").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aWorkerKilledMidJobLeavesOneJobThatAnotherWorkerFinishes() throws Exception {
        String t = tenant();
        Batch b = batch(t, "killed-" + t, "Hi");
        try (Bullmq.WorkerProcess doomed = Bullmq.worker(redis.port(), "bull", queue(t), "slow")) {
            sink(3, 2_000).deliver(b);
            doomed.awaitEvent(e -> e.path("event").asText().equals("process"), Duration.ofSeconds(20));
            doomed.kill9();
        }
        try (Bullmq.WorkerProcess heir = Bullmq.worker(redis.port(), "bull", queue(t), "ok")) {
            JsonNode done = heir.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(30));
            assertThat(done.get("id").asText()).isEqualTo(b.batchId());
            JsonNode counts = Bullmq.queue(redis.port(), "bull", queue(t), "counts");
            assertThat(counts.get("completed").asInt()).isEqualTo(1);
            assertThat(counts.get("waiting").asInt() + counts.get("active").asInt() + counts.get("failed").asInt())
                    .as("one job for the batch, done once").isZero();
        }
    }

    @Test
    void aPausedQueueHoldsTheJobUntilResumed() throws Exception {
        String t = tenant();
        assertThat(Bullmq.queue(redis.port(), "bull", queue(t), "pause").get("paused").asBoolean()).isTrue();
        try (Bullmq.WorkerProcess worker = Bullmq.worker(redis.port(), "bull", queue(t), "ok")) {
            DeliveryOutcome o = sink(3, 2_000).deliver(batch(t, "paused-" + t, "Hi"));
            assertThat(o.detail()).contains("(paused)");
            assertThat(link.commands().exists("bull:" + queue(t) + ":marker")).as("no worker woken").isZero();
            org.awaitility.Awaitility.await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
                    .until(() -> worker.events("process").isEmpty());
            assertThat(Bullmq.queue(redis.port(), "bull", queue(t), "counts").get("waiting").asInt()).isEqualTo(1);
            Bullmq.queue(redis.port(), "bull", queue(t), "resume");
            worker.awaitEvent(e -> e.path("event").asText().equals("completed"), Duration.ofSeconds(20));
        }
    }

    @Test
    void aQueueOfAnUntestedBullmqVersionIsNotWrittenTo() throws Exception {
        String t = tenant();
        link.commands().hset("bull:" + queue(t) + ":meta", "version", "bullmq:5.1.0");
        DeliveryOutcome o = sink(3, 2_000).deliver(batch(t, "old-" + t, "Hi"));
        assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
        assertThat(o.cause()).isEqualTo("bullmq_version");
        assertThat(o.detail()).contains("bullmq:5.1.0").contains("6.x");
        assertThat(link.commands().exists("bull:" + queue(t) + ":wait")).isZero();
    }

    @Test
    void anUnreachableQueueRedisIsARetryNamingIt() throws Exception {
        int closed = RedisServer.freePort();
        RedisServer gone = RedisServer.start();
        try (RedisLink l = RedisLink.open(gone.url(), "rapidfire:test-bullmq", Duration.ofMillis(500),
                Duration.ofSeconds(60))) {
            gone.close();
            DeliveryOutcome o = new BullmqSink(l, false, BullmqSettings.defaults()).deliver(batch("x", "down", "Hi"));
            assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
            assertThat(o.cause()).isIn("unavailable", "store_timeout");
            assertThat(o.detail()).contains("bull:company-x-messages").contains("RAPIDFIRE_BULLMQ_REDIS_URL");
        }
        assertThat(closed).isPositive();
    }

    @Test
    void aBatchWhoseQueueRedisStaysDownIsRetriedThenDeadLetteredNamingTheQueue() throws Exception {
        RedisServer gone = RedisServer.start();
        try (RedisLink l = RedisLink.open(gone.url(), "rapidfire:test-bullmq", Duration.ofMillis(300),
                Duration.ofSeconds(60));
             io.rapidfire.store.memory.MemoryBatchStore store = io.rapidfire.store.memory.MemoryBatchStore.builder()
                     .partitions(2).build()) {
            gone.close();
            try (io.rapidfire.worker.Worker w = new io.rapidfire.worker.Worker(store, new BullmqSink(l, false,
                    BullmqSettings.defaults()), io.rapidfire.worker.WorkerSettings.builder("w").maxAttempts(2)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).safetyPoll(Duration.ofMillis(100))
                    .build()).start()) {
                ConversationRef c = new ConversationRef("down", "whatsapp", "+79001234567");
                new io.rapidfire.core.Batcher(store, io.rapidfire.core.Policies.of(io.rapidfire.core.Policy.DEFAULT
                        .withQuietMs(50))).append(Message.text(c, "m1", "Hi", null));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> !store.deadLetters(10).isEmpty());
                String doc = store.deadLetters(10).get(0).json();
                assertThat(doc).contains("bull:company-down-messages").contains("did not take the job");
            }
        }
    }
}
