package io.rapidfire.processes;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogsTest {
    @Test
    void withJsonLogsEveryLineIsJsonTheConversationIsMaskedAndAnIdleProcessLogsNothing() throws Exception {
        int port = RedisServer.freePort();
        try (RapidfireProcess p = RapidfireProcess.start(Map.of("RAPIDFIRE_LOG_FORMAT", "json", "RAPIDFIRE_PORT",
                Integer.toString(port), "RAPIDFIRE_QUIET_MS", "300", "RAPIDFIRE_SAFETY_POLL_MS", "50"))) {
            p.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/webhook/whatsapp/batched"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\": \"79001234567\", \"message\": \"hi\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> p.output().contains("delivered batchId="));

            int before = p.lines().size();
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(p.lines()).as("an idle worker polling every 50 ms logs nothing").hasSize(before);

            List<String> lines = p.lines();
            for (String line : lines) {
                JsonNode j = MessageCodec.JSON.readTree(line);
                assertThat(j.isObject()).as(line).isTrue();
            }
            String accepted = lines.stream().filter(l -> l.contains("accepted format=")).findFirst().orElseThrow();
            JsonNode a = MessageCodec.JSON.readTree(accepted);
            assertThat(a.get("level").asText()).isEqualTo("INFO");
            assertThat(a.get("formattedMessage").asText()).contains("conversation=default:whatsapp:+790******67")
                    .doesNotContain("79001234567");
            String delivered = lines.stream().filter(l -> l.contains("delivered batchId=")).findFirst().orElseThrow();
            assertThat(delivered).doesNotContain("79001234567");
            assertThat(lines.stream().filter(l -> l.startsWith("{\"batchId\"")).count()).as("the log sink's batch line").isEqualTo(1);
        }
    }
}
