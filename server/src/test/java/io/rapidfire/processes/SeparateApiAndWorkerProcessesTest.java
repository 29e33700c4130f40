package io.rapidfire.processes;

import org.junit.jupiter.api.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The original's deployment: an API process and a batch processor (worker) process on one Redis. */
@Tag("processes")
class SeparateApiAndWorkerProcessesTest {
    private RedisServer redis;
    private RapidfireProcess api;
    private RapidfireProcess worker;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRapidFireSequenceSentToTheApiComesOutOfTheWorkerAsOneBatch() throws Exception {
        redis = RedisServer.start();
        int port = RedisServer.freePort();
        Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_QUIET_MS", "1000",
                "RAPIDFIRE_PORT", Integer.toString(port), "RAPIDFIRE_OPEN_ROUTES", "all");
        api = RapidfireProcess.start(env, "api");
        worker = RapidfireProcess.start(env, "worker");
        api.awaitOutput("Rapidfire api running", Duration.ofSeconds(30));
        worker.awaitOutput("Rapidfire worker running", Duration.ofSeconds(30));

        HttpClient http = HttpClient.newHttpClient();
        String[] parts = {"Hi,", "book me", "for a haircut", "tomorrow at 8"};
        for (int i = 0; i < parts.length; i++) {
            String body = "{\"from\": \"79001234567@c.us\", \"message\": \"" + parts[i] + "\", \"messageId\": \"wamid." + i
                    + "\", \"timestamp\": " + (1_700_000_000 + i) + "}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/webhook/whatsapp/batched"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"accepted\":1");
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> !worker.batchLines().isEmpty());
        // Stay a little past the quiet period to show there is no second batch.
        await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        assertThat(worker.batchLines()).hasSize(1);
        assertThat(api.batchLines()).as("the API process does not deliver").isEmpty();
        JsonNode batch = MessageCodec.JSON.readTree(worker.batchLines().get(0));
        assertThat(batch.get("text").asText()).isEqualTo("Hi, book me for a haircut tomorrow at 8");
        assertThat(batch.get("size").asInt()).isEqualTo(4);
        assertThat(batch.get("reason").asText()).isEqualTo("quiet");
        assertThat(batch.get("phone").asText()).isEqualTo("+79001234567");
        assertThat(batch.get("messages").get(0).get("id").asText()).isEqualTo("wamid.0");
    }

    @Test
    void theApiAndWorkerRolesRefuseToStartWithoutRedis() {
        RapidfireProcess p = RapidfireProcess.start(Map.of(), "worker");
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
        assertThat(p.output()).contains("must share a Redis").contains("REDIS_URL");
    }
}
