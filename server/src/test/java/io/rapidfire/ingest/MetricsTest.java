package io.rapidfire.ingest;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("processes")
class MetricsTest {
    /** promtool (Debian package "prometheus") is a real parser of the exposition format; installed if missing. */
    private static String promtool() {
        return io.rapidfire.testing.Tools.require("promtool", "prometheus");
    }

    @Test
    void metricsCountWhatHappenedAndParseAsPrometheusText() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), new Policy(100, 5_000, 10, 16_384, " "), true)) {
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"hi\", \"messageId\": \"a\"}");
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"hi\", \"messageId\": \"a\"}");
            h.post("/webhook/whatsapp/batched", "{\"from\": \"nobody\", \"message\": \"hi\"}");
            h.post("/webhook/whatsapp/batched", "{\"event\": \"presence.update\", \"data\": {\"id\": "
                    + "\"79005554433@s.whatsapp.net\", \"presences\": {\"79005554433@s.whatsapp.net\": "
                    + "{\"lastKnownPresence\": \"composing\"}}}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> h.batches().size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.get("/metrics").body()
                    .contains("rapidfire_delivery_seconds_count{outcome=\"ack\"} 1"));
            String text = h.get("/metrics").body();
            assertThat(text).contains("rapidfire_messages_received_total{channel=\"whatsapp\",format=\"original\"} 1.0")
                    .contains("rapidfire_messages_duplicate_total{channel=\"whatsapp\"} 1.0")
                    .contains("rapidfire_requests_rejected_total{reason=\"bad_request\"} 1.0")
                    .contains("rapidfire_batches_released_total{reason=\"quiet\"} 1.0")
                    .contains("rapidfire_release_lateness_seconds_bucket")
                    .contains("rapidfire_batch_size_count 1")
                    .contains("rapidfire_presence_events_total{outcome=\"recorded\"} 1.0")
                    .contains("rapidfire_pending_batches")
                    .contains("rapidfire_dead_letters");

            Path file = Files.createTempFile("metrics", ".txt");
            Files.writeString(file, text);
            Process p = new ProcessBuilder(promtool(), "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // promtool exits 3 for lint remarks (e.g. counters named *_total) and 1 for parse errors.
            assertThat(p.exitValue()).as(out).isIn(0, 3);
            assertThat(out).doesNotContain("error while linting");
        }
    }
}
