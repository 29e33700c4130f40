package io.rapidfire.faults;

import io.rapidfire.ops.doctor.Check;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.RawBot;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bot misbehaves while the webhook keeps taking messages: slower than the sink timeout, or closing the
 * connection in the middle of its answer. The webhook answers 200 (the messages are stored); the metric counts
 * the failed attempts by cause, the doctor shows the bot's last answer; once the bot behaves, every acknowledged
 * message arrives under one batchId (repeats of a batch carry the same batchId, for the bot to drop).
 */
@Tag("processes")
class BotFaultsTest {
    private static final String ANN = "+79003330001";
    private static final String BOB = "+79003330002";

    @Test
    void aBotSlowerThanTheSinkTimeoutIsRetriedWithTheSameBatchIdUntilItAnswersInTime() throws Exception {
        AtomicLong thinkMs = new AtomicLong(3_000);
        try (RedisServer redis = RedisServer.start();
             HttpReceiver bot = new HttpReceiver(r -> new HttpReceiver.Answer(200, Map.of(), thinkMs.get()));
             FaultDeployment rf = new FaultDeployment(redis.url(), redis.url(), bot.url(),
                     Map.of("RAPIDFIRE_SINK_TIMEOUT_MS", "1000")).awaitRunning()) {
            for (int i = 0; i < 3; i++) {
                assertThat(rf.send(ANN, "a" + i, "hi " + i).statusCode()).isEqualTo(200);
                assertThat(rf.send(BOB, "b" + i, "hi " + i).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rf.metric("rapidfire_delivery_failures_total{cause=\"timeout\",outcome=\"retry\"}") >= 2);
            Check deliveries = rf.doctor().get("deliveries");
            assertThat(deliveries.status()).isEqualTo(Check.Status.WARN);
            assertThat(deliveries.evidence()).contains("within 1000 ms (RAPIDFIRE_SINK_TIMEOUT_MS)");
            assertThat(deliveries.fix()).contains("RAPIDFIRE_SINK_TIMEOUT_MS=1000");

            thinkMs.set(0);
            rf.awaitDelivered(() -> bot.requests().stream().map(HttpReceiver.Request::body).toList());
            FaultDeployment.assertLedger(rf.acked(), bot.requests().stream().map(HttpReceiver.Request::body).toList());
            assertThat(bot.requests().size()).as("the timed-out attempts reached the bot too").isGreaterThan(2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> rf.doctor().get("deliveries").status() == Check.Status.PASS);
        }
    }

    @Test
    void aBotThatClosesTheConnectionMidAnswerIsRetriedAndNothingIsLostOrSplit() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RawBot bot = new RawBot();
             FaultDeployment rf = new FaultDeployment(redis.url(), redis.url(), bot.url(), Map.of()).awaitRunning()) {
            bot.breakMidResponse(true);
            for (int i = 0; i < 3; i++) {
                assertThat(rf.send(ANN, "a" + i, "hi " + i).statusCode()).isEqualTo(200);
                assertThat(rf.send(BOB, "b" + i, "hi " + i).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    rf.metric("rapidfire_delivery_failures_total{cause=\"connection\",outcome=\"retry\"}") >= 2);
            Check deliveries = rf.doctor().get("deliveries");
            assertThat(deliveries.status()).isEqualTo(Check.Status.WARN);
            assertThat(deliveries.evidence()).contains("broke off its answer");

            bot.breakMidResponse(false);
            rf.awaitDelivered(bot::bodies);
            FaultDeployment.assertLedger(rf.acked(), bot.bodies());
        }
    }
}
