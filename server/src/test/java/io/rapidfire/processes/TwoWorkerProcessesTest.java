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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("processes")
class TwoWorkerProcessesTest {
    @Test
    void twoWorkerProcessesOnOneRedisNeverDeliverABatchTwice() throws Exception {
        try (RedisServer redis = RedisServer.start();
             HttpReceiver bot = new HttpReceiver(r -> Answer.status(200))) {
            Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_SINK", "http",
                    "RAPIDFIRE_SINK_URL", bot.url(), "RAPIDFIRE_WORKER_CONCURRENCY", "4");
            try (RapidfireProcess w1 = RapidfireProcess.start(env, "worker");
                 RapidfireProcess w2 = RapidfireProcess.start(env, "worker");
                 RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("rapidfire:test").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(16).dedupWindow(Duration.ofMinutes(1)).build()) {
                w1.awaitOutput("Rapidfire worker running", Duration.ofSeconds(30));
                w2.awaitOutput("Rapidfire worker running", Duration.ofSeconds(30));
                Policy p = new Policy(100, 2_000, 10, 16_384, " ");
                int conversations = 400;
                for (int round = 0; round < 3; round++) {
                    for (int c = 0; c < conversations; c++) {
                        store.append(Message.text(new ConversationRef("acme", "whatsapp", "c" + c),
                                "c" + c + "-" + round, "m" + round, null), p);
                    }
                }
                int total = conversations * 3;
                await().atMost(Duration.ofSeconds(60)).until(() -> messagesIn(bot.requests()) == total
                        && store.counts().inflight() == 0);

                Set<String> batchIds = new HashSet<>();
                Set<String> messageIds = new HashSet<>();
                for (HttpReceiver.Request r : bot.requests()) {
                    assertThat(batchIds.add(r.header("Idempotency-Key"))).as("batch delivered twice: " + r.body()).isTrue();
                    for (JsonNode m : MessageCodec.JSON.readTree(r.body()).get("messages")) {
                        assertThat(messageIds.add(m.get("id").asText())).isTrue();
                    }
                }
                assertThat(messageIds).hasSize(total);

                w1.stop();
                w2.stop();
                long d1 = deliveredCount(w1);
                long d2 = deliveredCount(w2);
                System.out.println("worker 1 delivered " + d1 + ", worker 2 delivered " + d2 + " of "
                        + bot.requests().size() + " batches");
                assertThat(d1 + d2).isEqualTo(bot.requests().size());
                assertThat(d1).as("both workers took part").isPositive();
                assertThat(d2).as("both workers took part").isPositive();
            }
        }
    }

    private static int messagesIn(List<HttpReceiver.Request> requests) throws Exception {
        int n = 0;
        for (HttpReceiver.Request r : requests) {
            n += MessageCodec.JSON.readTree(r.body()).get("size").asInt();
        }
        return n;
    }

    private static long deliveredCount(RapidfireProcess w) {
        Matcher m = Pattern.compile("stopped: (\\d+) delivered").matcher(w.output());
        assertThat(m.find()).as("graceful stop line in\n" + w.output()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
