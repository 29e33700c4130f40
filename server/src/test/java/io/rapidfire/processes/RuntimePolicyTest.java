package io.rapidfire.processes;

import org.junit.jupiter.api.Tag;

import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("processes")
class RuntimePolicyTest {
    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void batchingTurnedOffAtRuntimeReachesRunningProcessesWithoutARestart() throws Exception {
        int port = RedisServer.freePort();
        try (RedisServer redis = RedisServer.start();
             RapidfireProcess api = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_PORT",
                     Integer.toString(port), "RAPIDFIRE_QUIET_MS", "60000", "RAPIDFIRE_OPEN_ROUTES", "all"), "api");
             RapidfireProcess worker = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(),
                     "RAPIDFIRE_QUIET_MS", "60000"), "worker")) {
            api.awaitOutput("Rapidfire api running", Duration.ofSeconds(30));
            worker.awaitOutput("Rapidfire worker running", Duration.ofSeconds(30));
            String base = "http://127.0.0.1:" + port;

            HttpResponse<String> set = send(HttpRequest.newBuilder(URI.create(base + "/admin/policies/*"))
                    .PUT(HttpRequest.BodyPublishers.ofString("quietMs:0")));
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            await().pollDelay(Duration.ofMillis(1_200)).until(() -> true); // the documented "within a second"

            long t0 = System.currentTimeMillis();
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/webhook/whatsapp/batched"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"from\": \"79001234567\", \"message\": \"now\"}")));
            assertThat(r.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !worker.batchLines().isEmpty());
            assertThat(System.currentTimeMillis() - t0).as("not after the configured 60 s quiet period").isLessThan(10_000);
            assertThat(worker.batchLines().get(0)).contains("\"text\":\"now\"");

            HttpResponse<String> bad = send(HttpRequest.newBuilder(URI.create(base + "/admin/policies/acme"))
                    .PUT(HttpRequest.BodyPublishers.ofString("quietMs:soon")));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("a whole number for quietMs");
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/admin/policies")).GET()).body())
                    .contains("\"*\":\"quietMs:0\"").doesNotContain("acme");
        }
    }
}
