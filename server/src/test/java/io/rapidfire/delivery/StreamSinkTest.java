package io.rapidfire.delivery;

import io.rapidfire.delivery.stream.StreamSink;

import org.junit.jupiter.api.Tag;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.core.Batch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("redis")
class StreamSinkTest {
    @Test
    void eachBatchIsAppendedToTheStreamWhichStaysNearItsMaximumLength() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                StreamSink sink = new StreamSink(c.async(), "bot:batches", 100);
                ConversationRef ref = new ConversationRef("acme", "whatsapp", "79001234567");
                for (int i = 0; i < 1_000; i++) {
                    Batch b = Batch.of("id-" + i, ref, i, List.of(new StoredMessage(Message.text(ref, "m" + i, "t" + i,
                            null), i)), ReleaseReason.QUIET, 1, " ");
                    assertThat(sink.deliver(b).kind()).isEqualTo(DeliveryOutcome.Kind.ACK);
                }
                long len = c.sync().xlen("bot:batches");
                assertThat(len).as("approximate trimming to 100").isBetween(100L, 300L);
                List<StreamMessage<String, String>> last = c.sync().xrevrange("bot:batches",
                        io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.create(0, 1));
                assertThat(last.get(0).getBody()).containsEntry("batchId", "id-999")
                        .containsEntry("conversation", "79001234567").containsEntry("reason", "quiet");
                assertThat(last.get(0).getBody().get("batch")).contains("\"text\":\"t999\"");
                sink.close();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aBatchDeliveredUnderASpanCarriesItsTraceparentForTheConsumerToContinue() throws Exception {
        try (RedisServer redis = RedisServer.start();
             io.opentelemetry.sdk.trace.SdkTracerProvider tracer = io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                     // (an SDK without a processor records nothing and its spans have no ids)
                     .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                             io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build()) {
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                StreamSink sink = new StreamSink(c.async(), "bot:batches", 100);
                ConversationRef ref = new ConversationRef("acme", "whatsapp", "79001234567");
                Batch b = Batch.of("id-traced", ref, 1, List.of(new StoredMessage(Message.text(ref, "m1", "hi", null), 1)),
                        ReleaseReason.QUIET, 1, " ");
                sink.deliver(b); // no current span: no field
                io.opentelemetry.api.trace.Span span = tracer.get("test").spanBuilder("deliver stream").startSpan();
                try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
                    sink.deliverAsync(b, Runnable::run).get();
                } finally {
                    span.end();
                }
                List<StreamMessage<String, String>> all = c.sync().xrange("bot:batches", io.lettuce.core.Range.create("-", "+"));
                assertThat(all.get(0).getBody()).doesNotContainKey("traceparent");
                assertThat(all.get(1).getBody()).containsEntry("traceparent", "00-" + span.getSpanContext().getTraceId()
                        + "-" + span.getSpanContext().getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex());
                sink.close();
            } finally {
                client.shutdown();
            }
        }
    }

    /**
     * One answer per thought through the stream: a superseded batch's consumer is told with a type=superseded
     * record, the merged batch follows carrying supersedes, and the consumer's commit decides.
     */
    @Test
    void aBatchSupersededWhileItsConsumerHasItIsFollowedByASupersededRecordAndTheMergedBatch() throws Exception {
        io.rapidfire.core.Policy supersede = new io.rapidfire.core.Policy(100, 30_000, 10, 16_384, " ")
                .withTyping(false, 1_000, 10_000).withSupersede(true);
        try (RedisServer redis = RedisServer.start();
             io.rapidfire.store.redis.RedisBatchStore store = io.rapidfire.store.redis.RedisBatchStore
                     .builder(redis.url()).clientName("rapidfire:test").timeout(java.time.Duration.ofSeconds(2))
                     .namespace("rf").partitions(4).dedupWindow(java.time.Duration.ofMinutes(1)).build()) {
            StreamSink sink = new StreamSink(store.link().asyncCommands(), "bot:batches", 1_000,
                    new CommitLinks(() -> "http://127.0.0.1:1", store));
            try (io.rapidfire.worker.Worker w = new io.rapidfire.worker.Worker(store, sink, io.rapidfire.worker
                    .WorkerSettings.builder("w").commitTimeout(java.time.Duration.ofSeconds(60)).build()).start()) {
                ConversationRef ref = new ConversationRef("acme", "whatsapp", "79001234567");
                store.append(Message.text(ref, "m1", "I want", null), supersede);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> store.link().commands().xlen("bot:batches") == 1);
                List<StreamMessage<String, String>> first = store.link().commands().xrange("bot:batches",
                        io.lettuce.core.Range.create("-", "+"));
                String id = first.get(0).getBody().get("batchId");
                assertThat(first.get(0).getBody()).containsEntry("type", "batch");
                assertThat(first.get(0).getBody().get("batch")).contains("\"commitUrl\":\"http://127.0.0.1:1/v1/batches/"
                        + id + "/commit?p=");
                assertThat(store.inflight(10)).singleElement().satisfies(f -> assertThat(f.state())
                        .isEqualTo(io.rapidfire.core.FlightState.AWAITING));

                store.append(Message.text(ref, "m2", "a haircut", null), supersede);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> store.link().commands().xlen("bot:batches") == 3);
                List<StreamMessage<String, String>> all = store.link().commands().xrange("bot:batches",
                        io.lettuce.core.Range.create("-", "+"));
                java.util.Map<String, String> superseded = all.stream().map(StreamMessage::getBody)
                        .filter(b -> "superseded".equals(b.get("type"))).findFirst().orElseThrow();
                assertThat(superseded).containsEntry("batchId", id);
                java.util.Map<String, String> merged = all.get(2).getBody().containsKey("batch") ? all.get(2).getBody()
                        : all.get(1).getBody();
                assertThat(merged).containsEntry("supersedes", id);
                assertThat(merged.get("batch")).contains("\"text\":\"I want a haircut\"");
                String mergedId = merged.get("batchId");
                assertThat(store.commit(store.partitionOf(ref), id).outcome())
                        .isEqualTo(io.rapidfire.core.CommitResult.Outcome.SUPERSEDED);
                assertThat(store.commit(store.partitionOf(ref), mergedId).outcome())
                        .isEqualTo(io.rapidfire.core.CommitResult.Outcome.COMMITTED);
                assertThat(store.inflight(10)).as("the consumer's commit finished it").isEmpty();
            }
        }
    }
}
