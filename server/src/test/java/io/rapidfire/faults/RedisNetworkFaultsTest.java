package io.rapidfire.faults;

import io.rapidfire.ops.doctor.Check;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.TcpProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The network between a Rapidfire process (API and worker) and Redis, cut and restored by a TCP proxy: what the
 * webhook answers while it is cut, what the metrics and the doctor name, and that once it is back every
 * acknowledged message reaches the bot under one batchId.
 */
@Tag("processes")
class RedisNetworkFaultsTest {
    private static final String ANN = "+79001110001";
    private static final String BOB = "+79001110002";

    @Test
    void aStalledNetworkAnswers503StoreTimeoutAndAfterItIsRestoredNothingAcknowledgedIsLost() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TcpProxy proxy = new TcpProxy(redis.port());
             HttpReceiver bot = new HttpReceiver(r -> HttpReceiver.Answer.status(200));
             FaultDeployment rf = new FaultDeployment(proxy.redisUrl(), redis.url(), bot.url(), Map.of()).awaitRunning()) {
            for (int i = 0; i < 3; i++) {
                assertThat(rf.send(ANN, "a" + i, "before " + i).statusCode()).isEqualTo(200);
                assertThat(rf.send(BOB, "b" + i, "before " + i).statusCode()).isEqualTo(200);
            }

            proxy.stall();
            long t0 = System.currentTimeMillis();
            HttpResponse<String> during = rf.send(ANN, "a-stalled", "while stalled");
            rf.assertRefused(during, "store_timeout");
            assertThat(during.body()).contains("did not answer in time").contains("RAPIDFIRE_REDIS_TIMEOUT_MS")
                    .contains("Retry the same request");
            assertThat(System.currentTimeMillis() - t0).as("answered after the 1 s command timeout, not hanging")
                    .isLessThan(10_000);
            assertThat(rf.status("/health/ready")).isEqualTo(503);

            proxy.restore();
            rf.sendUntilStored(ANN, "a-stalled", "while stalled");
            for (int i = 3; i < 6; i++) {
                rf.sendUntilStored(ANN, "a" + i, "after " + i);
                rf.sendUntilStored(BOB, "b" + i, "after " + i);
            }
            rf.awaitDelivered(() -> bot.requests().stream().map(HttpReceiver.Request::body).toList());
            FaultDeployment.assertLedger(rf.acked(), bot.requests().stream().map(HttpReceiver.Request::body).toList());
            assertThat(rf.acked()).hasSize(13);

            // The process reports what it saw in its heartbeat; the doctor names it.
            await().atMost(Duration.ofSeconds(10)).until(() -> rf.doctor().get("redis-errors").status() == Check.Status.FAIL);
            assertThat(rf.doctor().get("redis-errors").evidence()).contains("store_timeout");
        }
    }

    @Test
    void resetAndDroppedConnectionsAnswer503UnavailableAndTheProcessReconnectsByItself() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TcpProxy proxy = new TcpProxy(redis.port());
             HttpReceiver bot = new HttpReceiver(r -> HttpReceiver.Answer.status(200));
             FaultDeployment rf = new FaultDeployment(proxy.redisUrl(), redis.url(), bot.url(), Map.of()).awaitRunning()) {
            rf.sendUntilStored(ANN, "a0", "before");
            for (Runnable cut : List.<Runnable>of(proxy::reset, proxy::drop)) {
                cut.run();
                HttpResponse<String> during = rf.send(BOB, "b-" + rf.acked().size(), "while cut");
                assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
                assertThat(FaultDeployment.reason(during)).isIn("unavailable", "store_timeout");
                assertThat(during.body()).contains("NOT stored").contains("Retry the same request");
                proxy.restore();
                rf.sendUntilStored(BOB, "b-" + rf.acked().size(), "while cut");
                rf.sendUntilStored(ANN, "a-" + rf.acked().size(), "after");
            }
            assertThat(rf.metric("rapidfire_requests_rejected_total{reason=\"unavailable\"}")
                    + rf.metric("rapidfire_requests_rejected_total{reason=\"store_timeout\"}")).isGreaterThanOrEqualTo(2);
            rf.awaitDelivered(() -> bot.requests().stream().map(HttpReceiver.Request::body).toList());
            FaultDeployment.assertLedger(rf.acked(), bot.requests().stream().map(HttpReceiver.Request::body).toList());
            assertThat(rf.acked()).hasSize(5);
            assertThat(rf.doctor().get("redis").status()).isEqualTo(Check.Status.PASS);
            await().atMost(Duration.ofSeconds(10)).until(() -> rf.doctor().get("redis-errors").status() == Check.Status.FAIL);
            assertThat(rf.doctor().get("redis-errors").evidence()).containsAnyOf("connection to Redis lost", "unavailable");
        }
    }
}
