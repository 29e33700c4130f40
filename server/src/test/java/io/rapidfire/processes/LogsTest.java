package io.rapidfire.processes;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.LogScan;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
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

/** What a process logs. Every RapidfireProcess also scans its log for unmasked numbers when it is closed. */
@Tag("processes")
class LogsTest {
    private static HttpResponse<String> post(int port, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhook/whatsapp/batched"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withJsonLogsEveryLineIsJsonTheConversationIsMaskedAndAnIdleProcessLogsNothing() throws Exception {
        int port = RedisServer.freePort();
        try (RapidfireProcess p = RapidfireProcess.start(Map.of("RAPIDFIRE_LOG_FORMAT", "json", "RAPIDFIRE_PORT",
                Integer.toString(port), "RAPIDFIRE_QUIET_MS", "300", "RAPIDFIRE_SAFETY_POLL_MS", "50",
                "RAPIDFIRE_LOG_LEVEL", "DEBUG"))) {
            p.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
            assertThat(post(port, "{\"from\": \"79001234567\", \"message\": \"hi\"}").statusCode()).isEqualTo(200);
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
            assertThat(a.get("level").asText()).as("a line per request only at DEBUG").isEqualTo("DEBUG");
            assertThat(a.get("formattedMessage").asText()).contains("conversation=default:whatsapp:+790******67")
                    .doesNotContain("79001234567");
            String delivered = lines.stream().filter(l -> l.contains("delivered batchId=")).findFirst().orElseThrow();
            assertThat(delivered).doesNotContain("79001234567");
            assertThat(lines.stream().filter(l -> l.startsWith("{\"batchId\"")).count()).as("the log sink's batch line").isEqualTo(1);
        }
    }

    @Test
    void atTheDefaultLevelRequestsAreSummedUpAndRetriesAndDeadLettersNeverShowTheNumber() throws Exception {
        int port = RedisServer.freePort();
        int deadPort = RedisServer.freePort();
        try (RapidfireProcess p = RapidfireProcess.start(Map.of("RAPIDFIRE_PORT", Integer.toString(port),
                "RAPIDFIRE_QUIET_MS", "100", "RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL",
                "http://127.0.0.1:" + deadPort + "/bot", "RAPIDFIRE_MAX_ATTEMPTS", "2", "RAPIDFIRE_RETRY_BASE_MS", "50",
                "RAPIDFIRE_LOG_SUMMARY_MS", "500"))) {
            p.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
            assertThat(post(port, "{\"from\": \"+79001234567\", \"message\": \"hi\", \"messageId\": \"a1\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(post(port, "{\"from\": \"+79001234567\", \"message\": 5}").statusCode()).isEqualTo(400);
            p.awaitOutput("Dead-lettered", Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> p.output().contains("bad_request=1"));

            List<String> lines = p.lines();
            assertThat(lines).noneMatch(l -> l.contains("accepted format="));
            List<String> summaries = lines.stream().filter(l -> l.contains("webhooks in the last 500 ms: ")).toList();
            assertThat(summaries.stream().mapToInt(l -> Integer.parseInt(l.replaceAll(".*: (\\d+) requests.*", "$1"))).sum())
                    .as("requests summed up over the summaries").isEqualTo(2);
            assertThat(summaries).anyMatch(l -> l.contains("1 messages accepted")).anyMatch(l -> l.contains("bad_request=1"));
            assertThat(lines).filteredOn(l -> l.contains("failed") || l.contains("Dead-lettered"))
                    .isNotEmpty().allMatch(l -> l.contains("default:whatsapp:+790******67"));
            assertThat(LogScan.unmaskedNumbers(lines)).isEmpty();
        }
    }
}
