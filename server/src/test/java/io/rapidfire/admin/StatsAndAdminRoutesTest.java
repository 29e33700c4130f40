package io.rapidfire.admin;

import io.rapidfire.ingest.IngestSettings;

import org.junit.jupiter.api.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("fast")
class StatsAndAdminRoutesTest {
    private static final Policy SLOW = new Policy(60_000, 120_000, 100, 16_384, " ");
    private static final IngestSettings ADMIN = IngestSettings.defaults().withSecrets("", "", "", "", "t0ken");
    private static final String[] AUTH = {"Authorization", "Bearer t0ken"};

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return MessageCodec.JSON.readTree(r.body());
    }

    @Test
    void statsKeepsTheOriginalShapeAndAddsDeadlinesRulesAndPages() throws Exception {
        try (IngestHarness h = new IngestHarness(ADMIN, SLOW, false)) {
            for (int i = 0; i < 5; i++) {
                h.post("/webhook/whatsapp/batched", "{\"from\": \"7900123456" + i + "@c.us\", \"message\": \"hi\"}");
            }
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234560@c.us\", \"message\": \"again\"}");
            JsonNode s = json(h.get("/webhook/whatsapp/batched/stats?limit=2", AUTH));
            assertThat(s.get("success").asBoolean()).isTrue();
            JsonNode stats = s.get("stats");
            assertThat(stats.get("pendingBatches").asInt()).isEqualTo(5);
            assertThat(stats.get("batches")).hasSize(2);
            JsonNode first = stats.get("batches").get(0);
            assertThat(first.has("phone") && first.has("size") && first.has("lastMessageAge")).isTrue();
            assertThat(first.get("releaseRule").asText()).isEqualTo("quiet");
            assertThat(first.get("dueInMs").asLong()).isBetween(50_000L, 60_000L);
            assertThat(stats.get("policies").get("*").asText()).as("the policy in force")
                    .startsWith("quiet 60000 ms").contains("typing-aware on (grace 1000 ms");

            // A composing holds that batch: the stats name the rule that will release it.
            h.post("/webhook/whatsapp/batched", "{\"event\": \"presence.update\", \"data\": {\"id\": "
                    + "\"79001234561@s.whatsapp.net\", \"presences\": {\"79001234561@s.whatsapp.net\": "
                    + "{\"lastKnownPresence\": \"paused\"}}}}");
            JsonNode typed = json(h.get("/webhook/whatsapp/batched/stats", AUTH)).get("stats");
            JsonNode stopped = java.util.stream.StreamSupport.stream(typed.get("batches").spliterator(), false)
                    .filter(b -> b.get("phone").asText().equals("+79001234561")).findFirst().orElseThrow();
            assertThat(stopped.get("releaseRule").asText()).isEqualTo("typing_stopped");
            assertThat(stopped.get("dueInMs").asLong()).as("a grace after the stop").isLessThan(1_500L);
            assertThat(stats.get("batches").get(1).get("deadline").asLong())
                    .isGreaterThanOrEqualTo(first.get("deadline").asLong());
            JsonNode page2 = json(h.get("/webhook/whatsapp/batched/stats?limit=2&page=2", AUTH)).get("stats");
            assertThat(page2.get("batches")).hasSize(1);
            assertThat(page2.get("batches").get(0).get("phone").asText()).isEqualTo("+79001234560");
            assertThat(page2.get("batches").get(0).get("size").asInt()).isEqualTo(2);
            assertThat(h.get("/webhook/whatsapp/batched/stats?limit=5000", AUTH).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void statsListsInFlightBatchesDeadLettersAndLiveProcesses() throws Exception {
        try (IngestHarness h = new IngestHarness(ADMIN, SLOW.withQuietMs(0), false)) {
            h.registry.heartbeat(ProcessInfo.basic("worker:99@box", "worker", 99, "box"), 0);
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"hi\"}");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.store.counts().pending() == 1);
            int p = h.store.partitionOf(h.store.pending(1).get(0).conversation());
            h.store.claim(p, 10, 60_000, "worker:99@box");
            JsonNode stats = json(h.get("/webhook/whatsapp/batched/stats", AUTH)).get("stats");
            assertThat(stats.get("inflightBatches").asInt()).isEqualTo(1);
            assertThat(stats.get("inflight").get(0).get("worker").asText()).isEqualTo("worker:99@box");
            assertThat(stats.get("deadLetters").asInt()).isZero();
            assertThat(stats.get("processes").get(0).get("role").asText()).isEqualTo("worker");
        }
    }

    @Test
    void flushReleasesAConversationAndClearDropsItWhateverWayThePhoneIsWritten() throws Exception {
        try (IngestHarness h = new IngestHarness(ADMIN, SLOW, true)) {
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"hi\"}");
            JsonNode f = json(h.post("/webhook/whatsapp/batched/89001234567/flush", "", AUTH));
            assertThat(f.get("conversation").asText()).isEqualTo("default:whatsapp:+79001234567");
            // Delivered and acknowledged (the ack follows the bot's answer): nothing of it is left in flight.
            await().atMost(Duration.ofSeconds(5)).until(() -> h.batches().size() == 1 && h.store.counts().inflight() == 0);
            assertThat(h.batches().get(0).get("reason").asText()).isEqualTo("flush");
            assertThat(h.post("/webhook/whatsapp/batched/79001234567/flush", "", AUTH).statusCode())
                    .as("nothing left to flush").isEqualTo(404);

            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"one\"}");
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"two\"}");
            JsonNode c = json(h.delete("/webhook/whatsapp/batched/+7%20900%20123-45-67", AUTH));
            assertThat(c.get("cleared").asInt()).isEqualTo(2);
            assertThat(h.store.counts().pending()).isZero();
            assertThat(h.delete("/webhook/whatsapp/batched/not-a-phone", AUTH).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void liveAndReadyHealthChecks() throws Exception {
        IngestSettings api = new IngestSettings("default", "RU", false, false, false, false, "", "", "", "", "",
                1_048_576, 60, 1.0, 2_000, 500, java.util.List.of(), true, java.util.List.of("loopback"),
                java.util.EnumSet.allOf(io.rapidfire.config.WebhookRoute.class), java.util.List.of("loopback"), 86_400_000L, "", io.rapidfire.http.EdgeSettings.defaults(), java.util.Map.of());
        try (IngestHarness h = new IngestHarness(api, SLOW, false)) {
            assertThat(h.get("/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = h.get("/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("no live worker", "rapidfire worker");
            h.registry.heartbeat(ProcessInfo.basic("worker:1@box", "worker", 1, "box"), 0);
            JsonNode ready = json(h.get("/health/ready"));
            assertThat(ready.get("status").asText()).isEqualTo("ready");
            assertThat(ready.get("liveWorkers").asInt()).isEqualTo(1);
        }
    }
}
