package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Z-API on POST /webhook/z-api (issue 24, part): ReceivedCallback text, media, location and button replies batched,
 * presence as typing, the business's own and other callbacks acknowledged; the URL token once RAPIDFIRE_ZAPI_TOKEN is
 * set. Shapes as Z-API's webhook documentation gives them, with our own values.
 */
@Tag("fast")
class ZapiFormatTest {
    private static final Policy POLICY = new Policy(400, 10_000, 20, 16_384, " ");
    private static final String TOKEN = "zapi-webhook-token-0123";

    private static String received(String id, boolean fromMe, String content) {
        return "{\"isStatusReply\": false, \"connectedPhone\": \"5544990000000\", \"waitingMessage\": false, \"isEdit\": false, "
                + "\"isGroup\": false, \"isNewsletter\": false, \"instanceId\": \"A20DA9C0183A2D35\", \"messageId\": \"" + id
                + "\", \"phone\": \"5544999999999\", \"fromMe\": " + fromMe + ", \"momment\": " + System.currentTimeMillis()
                + ", \"status\": \"RECEIVED\", \"chatName\": \"Ana\", \"senderName\": \"Ana\", \"broadcast\": false, "
                + "\"type\": \"ReceivedCallback\", " + content + "}";
    }

    @Test
    void textMediaLocationAndButtonRepliesBecomeOneBatchAndOtherCallbacksAreAcknowledged() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            HttpResponse<String> text = h.post("/webhook/z-api", received("Z1", false, "\"text\": {\"message\": \"oi, tem horário\"}"));
            assertThat(text.statusCode()).as(text.body()).isEqualTo(200);
            assertThat(text.body()).contains("\"format\":\"z-api\"").contains("\"conversation\":\"default:whatsapp:+5544999999999\"");
            assertThat(h.post("/webhook/z-api", received("Z2", false, "\"image\": {\"mimeType\": \"image/jpeg\", \"imageUrl\": "
                    + "\"https://zapi.example/z2.jpeg\", \"caption\": \"assim\"}")).body()).contains("\"accepted\":1");
            assertThat(h.post("/webhook/z-api", received("Z3", false, "\"audio\": {\"ptt\": true, \"seconds\": 4, \"audioUrl\": "
                    + "\"https://zapi.example/z3.ogg\", \"mimeType\": \"audio/ogg; codecs=opus\"}")).body()).contains("\"accepted\":1");
            assertThat(h.post("/webhook/z-api", received("Z4", false, "\"buttonsResponseMessage\": {\"buttonId\": \"sim\", "
                    + "\"message\": \"Sim, amanhã\"}")).body()).contains("\"accepted\":1");
            assertThat(h.post("/webhook/z-api", received("Z5", true, "\"text\": {\"message\": \"nós\"}")).body())
                    .contains("\"accepted\":0").contains("fromMe");
            assertThat(h.post("/webhook/z-api", "{\"type\": \"PresenceChatCallback\", \"phone\": \"5544999999999\", "
                    + "\"status\": \"COMPOSING\", \"lastSeen\": null, \"instanceId\": \"A20DA9C0183A2D35\"}").body())
                    .contains("\"presence\":1");
            // Typing holds the batch; stopping releases it a grace later.
            assertThat(h.post("/webhook/z-api", "{\"type\": \"PresenceChatCallback\", \"phone\": \"5544999999999\", "
                    + "\"status\": \"PAUSED\", \"lastSeen\": null, \"instanceId\": \"A20DA9C0183A2D35\"}").body())
                    .contains("\"presenceRecorded\":1");
            for (String callback : new String[]{"MessageStatusCallback", "DeliveryCallback", "ConnectedCallback",
                    "DisconnectedCallback"}) {
                HttpResponse<String> r = h.post("/webhook/z-api", "{\"type\": \"" + callback + "\", \"instanceId\": \"A20\"}");
                assertThat(r.statusCode()).as(callback).isEqualTo(200);
                assertThat(r.body()).contains("callback " + callback);
            }
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("oi, tem horário assim Sim, amanhã");
            assertThat(b.get("messages").get(1).get("attachments").get(0).get("url").asText()).endsWith("z2.jpeg");
            assertThat(b.get("messages").get(2).get("type").asText()).isEqualTo("voice");
            assertThat(b.get("messages").get(3).get("metadata").get("buttonId").asText()).isEqualTo("sim");
        }
    }

    @Test
    void withItsTokenSetOnlyTheWebhookUrlCarryingItIsServed() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults().withRouteSecret(io.rapidfire.config.WebhookRoute.ZAPI, TOKEN), POLICY, false)) {
            String body = received("Z9", false, "\"text\": {\"message\": \"oi\"}");
            HttpResponse<String> none = h.post("/webhook/z-api", body);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).contains("?token=").contains("RAPIDFIRE_ZAPI_TOKEN");
            assertThat(h.post("/webhook/z-api?token=guess", body).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = h.post("/webhook/z-api?token=" + TOKEN, body);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.store.counts().pending() == 1);
        }
    }
}
