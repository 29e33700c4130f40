package io.rapidfire.processes;

import org.junit.jupiter.api.Tag;

import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.RedisCluster;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** RAPIDFIRE_WAIT_REPLICAS asks for replicas the Redis does not have: warned at start, 503 per message, never 200. */
@Tag("cluster")
class WaitWithoutReplicasTest {
    @Test
    void anApiAskingForAReplicaThatIsNotThereWarnsAtStartAndAnswers503UntilOneConnects() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            int port = RedisServer.freePort();
            try (RapidfireProcess api = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_PORT",
                    Integer.toString(port), "RAPIDFIRE_WAIT_REPLICAS", "1", "RAPIDFIRE_WAIT_TIMEOUT_MS", "200", "RAPIDFIRE_OPEN_ROUTES", "all"), "api")) {
                api.awaitOutput("Rapidfire api running", Duration.ofSeconds(30));
                assertThat(api.output()).contains("has 0 replica(s) connected but RAPIDFIRE_WAIT_REPLICAS=1")
                        .contains("lower RAPIDFIRE_WAIT_REPLICAS");

                HttpResponse<String> r = post(port, "wamid.1");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.body()).contains("NOT acknowledged").contains("RAPIDFIRE_WAIT_REPLICAS");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");

                try (RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()))) {
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            RedisCluster.on(redis, c -> c.info("replication")).contains("state=online"));
                    // "online" is the master's view; the replica's first ACK can still miss a 200 ms WAIT on a
                    // loaded machine, and then 503 is the right answer: the bridge retries, so does this test.
                    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                        last.set(post(port, "wamid.1"));
                        assertThat(last.get().statusCode()).as(last.get().body()).isIn(200, 503);
                        return last.get().statusCode() == 200;
                    });
                    HttpResponse<String> retry = last.get();
                    assertThat(retry.body()).as("the first attempt reached the master: the retry is a duplicate")
                            .contains("\"duplicates\":1").contains("\"openMessages\":1");
                }
            }
        }
    }

    private static HttpResponse<String> post(int port, String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/webhook/whatsapp/batched")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"from\":\"79001234567@c.us\",\"message\":\"hi\",\"messageId\":\"" + id + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
