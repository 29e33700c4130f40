package io.rapidfire.ingest;

import org.junit.jupiter.api.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static io.rapidfire.testing.IngestHarness.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One realistic rapid-fire sequence per inbound format, over real HTTP, arriving at a real local HTTP sink as
 * exactly one combined batch, with attachments and captions intact.
 */
@Tag("fast")
class InboundFormatsEndToEndTest {
    private static final Policy POLICY = new Policy(400, 10_000, 20, 16_384, " ");

    private static JsonNode onlyBatch(IngestHarness h) {
        return h.onlyBatch();
    }

    private static void ok(HttpResponse<String> r, String format, int accepted) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"format\":\"" + format + "\"").contains("\"accepted\":" + accepted);
    }

    @Test
    void theOriginalShapesBecomeOneBatchUnderTheCompanyTheyName() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/whatsapp/batched?companyId=salon-42", payload("original-1.json")), "original", 1);
            ok(h.post("/webhook/whatsapp/batched?companyId=salon-42", payload("original-2.json")), "original", 1);
            ok(h.post("/webhook/whatsapp/batched", payload("original-bulk.json")), "original", 2);
            JsonNode b = onlyBatch(h);
            assertThat(b.get("text").asText()).isEqualTo("Hi, book me for a haircut tomorrow at 8");
            assertThat(b.get("tenant").asText()).isEqualTo("salon-42");
            assertThat(b.get("conversation").asText()).isEqualTo("+79001234567");
            assertThat(b.get("messages").get(0).get("timestamp").asLong()).isEqualTo(1_764_320_000_000L);
        }
    }

    @Test
    void venomAndWppconnectMessagesKeepTheImageCaptionAndMediaReference() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/whatsapp/batched", payload("venom-text.json")), "venom", 1);
            ok(h.post("/webhook/whatsapp/batched", payload("venom-image.json")), "venom", 1);
            ok(h.post("/webhook/whatsapp/batched", payload("wppconnect-text.json")), "wppconnect", 1);
            HttpResponse<String> ack = h.post("/webhook/whatsapp/batched", payload("wppconnect-ack.json"));
            assertThat(ack.body()).contains("\"accepted\":0", "\"ignored\":1", "event onack");
            JsonNode b = onlyBatch(h);
            assertThat(b.get("text").asText()).isEqualTo("Hi, do you have this color in size M? and also");
            JsonNode image = b.get("messages").get(1);
            assertThat(image.get("type").asText()).isEqualTo("image");
            assertThat(image.get("text").asText()).as("caption, not the base64 thumbnail").isEqualTo("this color in size M?");
            JsonNode att = image.get("attachments").get(0);
            assertThat(att.get("caption").asText()).isEqualTo("this color in size M?");
            assertThat(att.get("mediaId").asText()).isEqualTo("false_79001234567@c.us_3EB0C767D26A1D6A3F02");
            assertThat(att.get("mimeType").asText()).isEqualTo("image/jpeg");
            assertThat(b.get("messages").get(0).get("metadata").get("name").asText()).isEqualTo("Anna");
        }
    }

    @Test
    void baileysUpsertsBecomeOneBatchWithTheVoiceNoteAndWithoutTheBotsOwnReply() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/whatsapp/batched", payload("baileys-text.json")), "baileys", 2);
            HttpResponse<String> r = h.post("/webhook/whatsapp/batched", payload("baileys-voice.json"));
            ok(r, "baileys", 2);
            assertThat(r.body()).contains("\"ignored\":1", "fromMe");
            JsonNode b = onlyBatch(h);
            assertThat(b.get("size").asInt()).isEqualTo(4);
            assertThat(b.get("text").asText()).isEqualTo("good evening can I move my booking to Friday like this one");
            assertThat(b.get("messages").get(2).get("type").asText()).isEqualTo("voice");
            assertThat(b.get("messages").get(2).get("attachments").get(0).get("mimeType").asText())
                    .isEqualTo("audio/ogg; codecs=opus");
            assertThat(b.get("messages").get(3).get("attachments").get(0).get("caption").asText())
                    .isEqualTo("to Friday like this one");
        }
    }

    @Test
    void cloudApiMessagesBatchWhileStatusCallbacksAndReactionsAreAcknowledgedAndIgnored() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/whatsapp-cloud", payload("cloud-text.json")), "whatsapp-cloud", 1);
            HttpResponse<String> r = h.post("/webhook/whatsapp-cloud", payload("cloud-image-and-status.json"));
            ok(r, "whatsapp-cloud", 1);
            assertThat(r.body()).contains("\"ignored\":2", "status callback (delivered)", "message type reaction");
            JsonNode b = onlyBatch(h);
            assertThat(b.get("conversation").asText()).isEqualTo("+16505551234");
            assertThat(b.get("text").asText()).isEqualTo("Hello, I need a new screen for this phone");
            JsonNode img = b.get("messages").get(1);
            assertThat(img.get("attachments").get(0).get("mediaId").asText()).isEqualTo("1003383421387256");
            assertThat(img.get("attachments").get(0).get("caption").asText()).isEqualTo("a new screen for this phone");
            assertThat(img.get("metadata").get("phoneNumberId").asText()).isEqualTo("106540352242922");
            assertThat(b.get("messages").get(0).get("metadata").get("name").asText()).isEqualTo("Sheena Nelson");
        }
    }

    @Test
    void telegramUpdatesKeepUnicodeThePhotoCaptionAndTheVoiceFile() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/telegram", payload("telegram-text.json")), "telegram", 1);
            ok(h.post("/webhook/telegram", payload("telegram-photo.json")), "telegram", 1);
            ok(h.post("/webhook/telegram", payload("telegram-voice.json")), "telegram", 1);
            JsonNode b = onlyBatch(h);
            assertThat(b.get("channel").asText()).isEqualTo("telegram");
            assertThat(b.get("conversation").asText()).isEqualTo("tg:123456789");
            assertThat(b.get("text").asText()).isEqualTo("Привет! 👋 I want to order this pizza, large");
            assertThat(b.get("messages").get(1).get("attachments").get(0).get("mediaId").asText())
                    .as("the largest photo size").isEqualTo("AgACAgIAAxkBAAIBsmVlarge");
            assertThat(b.get("messages").get(2).get("type").asText()).isEqualTo("voice");
            assertThat(b.get("messages").get(2).get("attachments").get(0).get("mediaId").asText())
                    .isEqualTo("AwACAgIAAxkBAAIBs2Vvoice");
        }
    }

    @Test
    void theGenericShapeWorksForAnyChannelWithAttachmentsAndMetadata() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/web-chat", payload("generic-1.json")), "generic", 1);
            ok(h.post("/webhook/web-chat", payload("generic-2.json")), "generic", 2);
            JsonNode b = onlyBatch(h);
            assertThat(b.get("tenant").asText()).isEqualTo("shop-7");
            assertThat(b.get("channel").asText()).isEqualTo("web-chat");
            assertThat(b.get("conversation").asText()).isEqualTo("visitor-8842");
            assertThat(b.get("text").asText()).isEqualTo("hi there my card was declined the error");
            assertThat(b.get("messages").get(2).get("attachments").get(0).get("url").asText())
                    .isEqualTo("https://cdn.example/upl_77.png");
            assertThat(b.get("messages").get(0).get("metadata").get("page").asText()).isEqualTo("/checkout");
        }
    }

    @Test
    void theUnbatchedRouteSendsEveryMessageOnItsOwnWithReasonPassthrough() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            ok(h.post("/webhook/whatsapp", payload("original-1.json")), "original", 1);
            ok(h.post("/webhook/whatsapp", payload("original-2.json")), "original", 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.batches().size() == 2);
            assertThat(h.batches()).allSatisfy(b -> {
                assertThat(b.get("reason").asText()).isEqualTo("passthrough");
                assertThat(b.get("size").asInt()).isEqualTo(1);
            });
            assertThat(h.batches().get(0).get("text").asText()).isEqualTo("Hi,");
        }
    }

    @Test
    void withTheMediaSwitchOnAMediaMessageReleasesItsBatchAtOnce() {
        IngestSettings media = IngestSettings.defaults().withSwitches(false, false, false, true, List.of());
        try (IngestHarness h = new IngestHarness(media, POLICY.withQuietMs(60_000), true)) {
            ok(h.post("/webhook/whatsapp/batched", payload("venom-text.json")), "venom", 1);
            ok(h.post("/webhook/whatsapp/batched", payload("venom-image.json")), "venom", 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.batches().size() == 1);
            assertThat(h.batches().get(0).get("reason").asText()).isEqualTo("media");
            assertThat(h.batches().get(0).get("size").asInt()).isEqualTo(2);
        }
    }
}
