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
}
