package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WAHA (WhatsApp HTTP API) on POST /webhook/waha (issue 24, part): its envelope and message, presence and session
 * events as WAHA's Events documentation shapes them (waha.devlike.pro/docs/how-to/events), with our own values;
 * its HMAC (X-Webhook-Hmac, HMAC-SHA512 of the body) once RAPIDFIRE_WAHA_HMAC_KEY is set. Real HTTP, a store, a
 * worker and a bot endpoint.
 */
@Tag("fast")
class WahaFormatTest {
    private static final Policy POLICY = new Policy(400, 10_000, 20, 16_384, " ");
    private static final String KEY = "waha-hmac-key-0123";

    private static String event(String event, String payload) {
        return "{\"id\": \"evt_01j7k8m9n0\", \"timestamp\": " + System.currentTimeMillis() + ", \"event\": \"" + event
                + "\", \"session\": \"default\", \"me\": {\"id\": \"79990000000@c.us\", \"pushName\": \"Salon\"}, "
                + "\"payload\": " + payload + ", \"engine\": \"WEBJS\"}";
    }

    private static String message(String id, String from, String body, boolean fromMe, String extra) {
        return "{\"id\": \"" + (fromMe ? "true_" : "false_") + from + "_" + id + "\", \"timestamp\": "
                + System.currentTimeMillis() / 1000 + ", \"from\": \"" + from + "\", \"fromMe\": " + fromMe
                + ", \"to\": \"79990000000@c.us\", \"body\": \"" + body + "\", \"hasMedia\": " + extra.contains("\"media\"")
                + ", \"ack\": 1"
                + extra + ", \"_data\": {\"notifyName\": \"Anna\"}}";
    }

    private static String[] signed(String body, String key) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return new String[]{"X-Webhook-Hmac", HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))),
                    "X-Webhook-Hmac-Algorithm", "sha512"};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBurstOfTextMediaAndLocationBecomesOneBatchAndTheBusinesssOwnAndRepeatsAreNot() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String anna = "79001234567@c.us";
            HttpResponse<String> first = h.post("/webhook/waha", event("message", message("3EB0A1", anna, "hi", false, "")));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains("\"format\":\"waha\"").contains("\"accepted\":1");
            // Subscribed to both message and message.any, WAHA posts a person's message twice: stored once.
            assertThat(h.post("/webhook/waha", event("message.any", message("3EB0A1", anna, "hi", false, ""))).body())
                    .contains("\"duplicates\":1");
            assertThat(h.post("/webhook/waha", event("message.any", message("3EB0B2", anna, "we reply", true, ""))).body())
                    .contains("\"accepted\":0").contains("fromMe");
            assertThat(h.post("/webhook/waha", event("message", message("3EB0A2", anna, "this color?", false,
                    ", \"media\": {\"url\": \"http://waha:3000/api/files/default/3EB0A2.jpeg\", "
                            + "\"mimetype\": \"image/jpeg\", \"filename\": null}"))).body()).contains("\"accepted\":1");
            assertThat(h.post("/webhook/waha", event("message", message("3EB0A3", anna, "", false,
                    ", \"location\": {\"latitude\": \"55.75\", \"longitude\": \"37.61\", \"description\": \"the shop\"}")))
                    .body()).contains("\"accepted\":1");
            JsonNode b = h.onlyBatch();
            assertThat(b.get("conversation").asText()).isEqualTo("+79001234567");
            assertThat(b.get("text").asText()).isEqualTo("hi this color? the shop");
            assertThat(b.get("messages").get(1).get("type").asText()).isEqualTo("image");
            assertThat(b.get("messages").get(1).get("attachments").get(0).get("url").asText()).endsWith("3EB0A2.jpeg");
            assertThat(b.get("messages").get(2).get("type").asText()).isEqualTo("location");
            assertThat(b.get("messages").get(0).get("metadata").get("name").asText()).isEqualTo("Anna");
        }
    }

    @Test
    void typingIsRecordedAndEveryOtherEventIsAcknowledgedNeverBatched() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            HttpResponse<String> typing = h.post("/webhook/waha", event("presence.update", "{\"id\": \"79001234567@c.us\", "
                    + "\"presences\": [{\"participant\": \"79001234567@c.us\", \"lastKnownPresence\": \"typing\", "
                    + "\"lastSeen\": null}]}"));
            assertThat(typing.statusCode()).as(typing.body()).isEqualTo(200);
            assertThat(typing.body()).contains("\"presence\":1");
            for (String other : new String[]{"session.status", "message.ack", "message.reaction", "state.change", "group.v2.join", "call.received"}) {
                HttpResponse<String> r = h.post("/webhook/waha", event(other, "{\"status\": \"WORKING\"}"));
                assertThat(r.statusCode()).as(other + ": " + r.body()).isEqualTo(200);
                assertThat(r.body()).contains("\"ignored\":1").contains("event " + other);
            }
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
            assertThat(h.batches()).isEmpty();
            HttpResponse<String> bad = h.post("/webhook/waha", event("message", "\"not an object\""));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("'payload' must be a JSON object");
        }
    }

    @Test
    void withItsKeySetOnlyRequestsSignedByWahaAreStored() {
        IngestSettings s = IngestSettings.defaults().withRouteSecret(io.rapidfire.config.WebhookRoute.WAHA, KEY);
        try (IngestHarness h = new IngestHarness(s, POLICY, false)) {
            String body = event("message", message("3EB0C1", "79001234567@c.us", "signed", false, ""));
            HttpResponse<String> unsigned = h.post("/webhook/waha", body);
            assertThat(unsigned.statusCode()).isEqualTo(401);
            assertThat(unsigned.body()).contains("missing X-Webhook-Hmac").contains("RAPIDFIRE_WAHA_HMAC_KEY");
            assertThat(h.post("/webhook/waha", body, signed(body, "a-guessed-key")).statusCode()).isEqualTo(401);
            assertThat(h.post("/webhook/waha", body, "X-Webhook-Hmac", signed(body, KEY)[1], "X-Webhook-Hmac-Algorithm",
                    "sha256").statusCode()).as("another algorithm").isEqualTo(401);
            HttpResponse<String> ok = h.post("/webhook/waha", body, signed(body, KEY));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"accepted\":1");
            assertThat(h.store.counts().pending()).isEqualTo(1);
        }
        IngestSettings api = IngestSettings.defaults().withOpenRoutes(java.util.Set.of(), java.util.List.of());
        try (IngestHarness h = new IngestHarness(api, POLICY, false)) {
            HttpResponse<String> closed = h.post("/webhook/waha", event("session.status", "{\"status\": \"WORKING\"}"));
            assertThat(closed.statusCode()).isEqualTo(401);
            assertThat(closed.body()).contains("route_closed").contains("RAPIDFIRE_WAHA_HMAC_KEY").contains("RAPIDFIRE_OPEN_ROUTES=waha");
        }
    }
}
