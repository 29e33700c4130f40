package io.rapidfire.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One conversation's own rules over real HTTP: set before it writes, applied to it alone, refused when wrong. */
@Tag("fast")
class ConversationPolicyOverHttpTest {
    /** Ten minutes of quiet: without a rule of its own, nothing is released while a test runs. */
    private static final Policy SLOW = new Policy(600_000, 1_200_000, 10, 4_000, " ");
    private static final String ANA = "/admin/conversations/default:whatsapp:+79001234567/policy";

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.JSON.readTree(r.body());
    }

    private static void send(IngestHarness h, String phone, String id) {
        assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"" + phone + "@c.us\", \"message\": \"hi\", "
                + "\"messageId\": \"" + id + "\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aConversationsOwnRulesApplyToItAloneAndTheInForceViewSaysWhichLevelDecided() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, true)) {
            assertThat(json(h.get(ANA)).path("level").asText()).isEqualTo("default");
            HttpResponse<String> set = h.put(ANA + "?for=1h", "quietMs:300,maxWaitMs:5000");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> json(h.get(ANA)).path("level").asText().equals("conversation"));
            JsonNode shown = json(h.get(ANA));
            assertThat(shown.path("rules").path("quietMs").asLong()).isEqualTo(300);
            assertThat(shown.path("rules").path("maxMessages").asInt()).as("the rest: the default's").isEqualTo(10);
            assertThat(shown.path("spec").asText()).isEqualTo("quietMs:300,maxWaitMs:5000");
            assertThat(shown.path("untilMs").asLong()).isGreaterThan(h.store.nowMs());

            send(h, "79001234567", "a1");
            send(h, "79001234568", "b1");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 1);
            assertThat(h.batches().get(0).path("conversation").asText()).isEqualTo("+79001234567");
            assertThat(h.store.counts().pending()).as("the other conversation still waits its ten minutes").isEqualTo(1);

            assertThat(h.delete(ANA).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> json(h.get(ANA)).path("level").asText().equals("default"));
        }
    }

    @Test
    void rulesOutOfRangeAreRefusedNamingTheRuleAndNothingChanges() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            HttpResponse<String> word = h.put(ANA, "quietMs:soon");
            assertThat(word.statusCode()).isEqualTo(400);
            assertThat(word.body()).contains("quietMs").contains("whole number");
            HttpResponse<String> range = h.put(ANA, "maxMessages:0");
            assertThat(range.statusCode()).isEqualTo(400);
            assertThat(range.body()).contains("maxMessages").contains("RAPIDFIRE_MAX_MESSAGES");
            assertThat(h.put(ANA, "").body()).contains("quietMs:120000");
            assertThat(h.put(ANA, "untilMs:5").statusCode()).as("the end is a query parameter, not a rule").isEqualTo(400);
            assertThat(h.put(ANA + "?for=later", "quietMs:1").statusCode()).isEqualTo(400);
            HttpResponse<String> none = h.delete(ANA);
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("no rules of its own");
            assertThat(h.store.runtimePolicies()).isEmpty();
            assertThat(json(h.get(ANA)).path("level").asText()).isEqualTo("default");
        }
    }
}
