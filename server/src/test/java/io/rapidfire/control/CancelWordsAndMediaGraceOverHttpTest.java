package io.rapidfire.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Policy;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancel words and the media grace through the whole path: a bridge's webhook, the store, the worker, a real HTTP
 * bot. (The rules themselves are rows of the release-rules table, on Java, Lua and every store.)
 */
@Tag("fast")
class CancelWordsAndMediaGraceOverHttpTest {
    private static void send(IngestHarness h, String body) {
        assertThat(h.post("/webhook/whatsapp/batched", body).statusCode()).isEqualTo(200);
    }

    @Test
    void aCancelWordSendsWhatThePersonWasTypingAtOnceMarkedCancelled() {
        Policy p = new Policy(600_000, 1_200_000, 10, 4_000, " ").withCancelKeywords(List.of("cancel", "отмена"));
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), p, true)) {
            send(h, "{\"from\": \"79001234567@c.us\", \"message\": \"запишите меня на пятницу\", \"messageId\": \"c1\"}");
            send(h, "{\"from\": \"79001234567@c.us\", \"message\": \"ой, отмена\", \"messageId\": \"c2\"}");
            JsonNode b = h.onlyBatch();
            assertThat(b.path("reason").asText()).isEqualTo("cancelled");
            assertThat(b.path("size").asInt()).as("nothing dropped: the bot decides what to say").isEqualTo(2);
        }
    }

    @Test
    void aTelegramAlbumIsOneBatchWhateverMaxMessagesSays() {
        // Quiet 3 s: the three updates arrive well within it even on a loaded machine; only max messages could cut.
        Policy p = new Policy(3_000, 600_000, 2, 4_000, " ");
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), p, true)) {
            for (int i = 1; i <= 3; i++) {
                // Telegram sends each photo of an album as its own update sharing media_group_id; the first has the caption.
                assertThat(h.post("/webhook/telegram", "{\"update_id\": " + (900 + i) + ", \"message\": {\"message_id\": "
                        + (40 + i) + ", \"from\": {\"id\": 123456789, \"is_bot\": false, \"first_name\": \"Ivan\"}, "
                        + "\"chat\": {\"id\": 123456789, \"type\": \"private\"}, \"date\": 1764320002, "
                        + "\"media_group_id\": \"13579\", \"photo\": [{\"file_id\": \"F" + i + "\", \"file_unique_id\": "
                        + "\"U" + i + "\", \"width\": 90, \"height\": 67}]" + (i == 1 ? ", \"caption\": \"which one?\"" : "")
                        + "}}").statusCode()).isEqualTo(200);
            }
            JsonNode b = h.onlyBatch();
            assertThat(b.path("size").asInt()).as("three photos, max messages two").isEqualTo(3);
            assertThat(b.path("messages").get(0).path("metadata").path("albumId").asText()).isEqualTo("13579");
        }
    }

    @Test
    void aWhatsAppAlbumFromBaileysIsOneBatchAndItsAnnouncementIsNoMessage() {
        Policy p = new Policy(500, 600_000, 2, 4_000, " ");
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), p, true)) {
            String jid = "\"remoteJid\": \"79001234567@s.whatsapp.net\", \"fromMe\": false";
            // WhatsApp: an albumMessage announces the album, then each photo comes wrapped in associatedChildMessage
            // naming the announcement's key (messageContextInfo.messageAssociation.parentMessageKey).
            StringBuilder items = new StringBuilder("{\"key\": {" + jid + ", \"id\": \"ALB1\"}, \"message\": "
                    + "{\"albumMessage\": {\"expectedImageCount\": 3}}}");
            for (int i = 1; i <= 3; i++) {
                items.append(", {\"key\": {").append(jid).append(", \"id\": \"PH").append(i).append("\"}, \"message\": ")
                        .append("{\"associatedChildMessage\": {\"message\": {\"imageMessage\": {\"url\": ")
                        .append("\"https://mmg.whatsapp.net/p").append(i).append(".enc\", \"mimetype\": \"image/jpeg\"}, ")
                        .append("\"messageContextInfo\": {\"messageAssociation\": {\"associationType\": \"MEDIA_ALBUM\", ")
                        .append("\"parentMessageKey\": {").append(jid).append(", \"id\": \"ALB1\"}}}}}}}");
            }
            JsonNode answer;
            try {
                answer = io.rapidfire.core.MessageCodec.JSON.readTree(h.post("/webhook/whatsapp/batched",
                        "{\"messages\": [" + items + "], \"type\": \"notify\"}").body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(answer.path("accepted").asInt()).isEqualTo(3);
            assertThat(answer.path("ignoredReasons").toString()).contains("album's announcement");
            JsonNode b = h.onlyBatch();
            assertThat(b.path("size").asInt()).as("three photos, max messages two").isEqualTo(3);
            assertThat(b.path("messages").get(2).path("metadata").path("albumId").asText()).isEqualTo("ALB1");
            assertThat(b.path("messages").get(2).path("type").asText()).isEqualTo("image");
        }
    }

    @Test
    void aPhotoWithoutWordsWaitsForItsCaptionAndGoesOutWithIt() {
        // Quiet 300 ms; a photo without words waits 60 s more, so only its words release it.
        Policy p = new Policy(300, 600_000, 10, 4_000, " ").withMediaGraceMs(60_000);
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), p, true)) {
            assertThat(h.post("/webhook/waha", "{\"event\": \"message\", \"session\": \"default\", \"payload\": "
                    + "{\"id\": \"p1\", \"from\": \"79001234567@c.us\", \"hasMedia\": true, \"media\": {\"url\": "
                    + "\"http://127.0.0.1/p.jpg\", \"mimetype\": \"image/jpeg\"}, \"body\": \"\"}}").statusCode()).isEqualTo(200);
            await().pollDelay(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(2))
                    .until(() -> h.store.counts().pending() == 1);
            assertThat(h.batches()).as("a second after the photo, still waiting for its words").isEmpty();
            send(h, "{\"from\": \"79001234567@c.us\", \"message\": \"is this mole ok?\", \"messageId\": \"p2\"}");
            JsonNode b = h.onlyBatch();
            assertThat(b.path("size").asInt()).isEqualTo(2);
            assertThat(b.path("text").asText()).isEqualTo("is this mole ok?");
            assertThat(b.path("messages").get(0).path("type").asText()).isEqualTo("image");
        }
    }
}
