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
 * A Chatwoot agent bot on POST /webhook/chatwoot (issue 24, part): the contact's messages batched per Chatwoot
 * conversation, the business's own (agents, bots), notes and activity ignored with their reason, other events
 * acknowledged; Chatwoot's signature (X-Chatwoot-Signature over "<timestamp>.<body>") once RAPIDFIRE_CHATWOOT_SECRET
 * is set. Payloads shaped as Chatwoot's webhook and agent bot events, with our own values.
 */
@Tag("fast")
class ChatwootFormatTest {
    private static final Policy POLICY = new Policy(400, 10_000, 20, 16_384, " ");
    private static final String SECRET = "cw-bot-secret";

    private static String created(long id, String type, String content, String extra) {
        return "{\"event\": \"message_created\", \"id\": " + id + ", \"content\": " + (content == null ? "null" : "\""
                + content + "\"") + ", \"message_type\": \"" + type + "\", \"content_type\": \"text\", \"private\": false, "
                + "\"created_at\": \"2026-12-01T10:00:0" + (id % 10) + "Z\", \"sender\": {\"id\": 3, \"name\": \"Anna\", "
                + "\"type\": \"contact\"}, \"inbox\": {\"id\": 2, \"name\": \"Website\"}, \"conversation\": {\"id\": 42, "
                + "\"inbox_id\": 2, \"status\": \"pending\"}, \"account\": {\"id\": 1, \"name\": \"Salon\"}" + extra + "}";
    }

    @Test
    void theContactsMessagesBecomeOneBatchPerChatwootConversationAndTheBusinesssAreIgnored() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            HttpResponse<String> first = h.post("/webhook/chatwoot", created(101, "incoming", "hello, do you have", ""));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains("\"format\":\"chatwoot\"").contains("\"accepted\":1")
                    .contains("\"conversation\":\"default:chatwoot:cw:1/42\"");
            assertThat(h.post("/webhook/chatwoot", created(102, "outgoing", "Hi! How can I help?", "")).body())
                    .contains("\"accepted\":0").contains("from_business");
            assertThat(h.post("/webhook/chatwoot", created(103, "incoming", "this in red?", ", \"attachments\": [{\"id\": 9, "
                    + "\"file_type\": \"image\", \"data_url\": \"https://cw.example/rails/active_storage/9.png\"}]")).body())
                    .contains("\"accepted\":1");
            assertThat(h.post("/webhook/chatwoot", created(104, "activity", "Conversation was marked resolved", "")).body())
                    .contains("\"accepted\":0");
            for (String event : new String[]{"conversation_opened", "conversation_status_changed", "message_updated",
                    "webwidget_triggered"}) {
                HttpResponse<String> r = h.post("/webhook/chatwoot", "{\"event\": \"" + event + "\", \"id\": 42}");
                assertThat(r.statusCode()).as(event).isEqualTo(200);
                assertThat(r.body()).contains("event " + event);
            }
            JsonNode b = h.onlyBatch();
            assertThat(b.get("channel").asText()).isEqualTo("chatwoot");
            assertThat(b.get("text").asText()).isEqualTo("hello, do you have this in red?");
            assertThat(b.get("messages").get(1).get("type").asText()).isEqualTo("image");
            assertThat(b.get("messages").get(1).get("attachments").get(0).get("url").asText()).endsWith("9.png");
        }
    }

    @Test
    void withItsSecretSetOnlySignedFreshRequestsAreStoredOnce() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults().withRouteSecret(io.rapidfire.config.WebhookRoute.CHATWOOT, SECRET), POLICY, false)) {
            String body = created(201, "incoming", "signed", "");
            HttpResponse<String> unsigned = h.post("/webhook/chatwoot", body);
            assertThat(unsigned.statusCode()).isEqualTo(401);
            assertThat(unsigned.body()).contains("X-Chatwoot-Signature").contains("RAPIDFIRE_CHATWOOT_SECRET");
            assertThat(h.post("/webhook/chatwoot", body, Signing.chatwoot("guess", body, System.currentTimeMillis()))
                    .statusCode()).isEqualTo(401);
            assertThat(h.post("/webhook/chatwoot", body, Signing.chatwoot(SECRET, body, System.currentTimeMillis() - 3_600_000))
                    .body()).as("an hour old").contains("away from this server's clock");
            String[] sig = Signing.chatwoot(SECRET, body, System.currentTimeMillis());
            HttpResponse<String> ok = h.post("/webhook/chatwoot", body, sig);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(h.post("/webhook/chatwoot", body, sig).body()).as("replayed").contains("already used");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.store.counts().pending() == 1);
        }
    }
}
