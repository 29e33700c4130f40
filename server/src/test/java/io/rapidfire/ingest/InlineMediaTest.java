package io.rapidfire.ingest;

import io.rapidfire.http.EdgeSettings;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media inside the webhook (issue 24, point 6; BridgeBody): Evolution with "webhook base64" on posts the photo itself
 * beside its caption. The caption must not be lost to the body limit, the media bytes are not stored (type, size,
 * mime type and caption are), and a large body is still bounded, signed and refused with the setting to change.
 * Over real HTTP into a store with a worker and a bot endpoint.
 */
@Tag("fast")
class InlineMediaTest {
    private static final Policy POLICY = new Policy(300, 10_000, 20, 16_384, " ");
    private static final String PATH = "/webhook/whatsapp/batched";

    /** An Evolution messages.upsert of a photo of {@code photoBytes} random bytes, base64 inline, with a caption. */
    private static String photo(String id, int photoBytes, String caption) {
        byte[] photo = new byte[photoBytes];
        new Random(7).nextBytes(photo);
        return "{\"event\": \"messages.upsert\", \"instance\": \"salon\", \"data\": {\"key\": {\"remoteJid\": "
                + "\"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": \"" + id + "\"}, \"pushName\": \"Anna\", "
                + "\"message\": {\"imageMessage\": {\"url\": \"https://mmg.whatsapp.net/o1/v/t62/f1.enc\", \"mimetype\": "
                + "\"image/jpeg\", \"caption\": \"" + caption + "\"}, \"base64\": \"" + Base64.getEncoder().encodeToString(photo)
                + "\"}, \"messageType\": \"imageMessage\", \"messageTimestamp\": " + (System.currentTimeMillis() / 1000) + "}}";
    }

    @Test
    void aPhotoSentInlineAsBase64KeepsItsCaptionAndTheBytesAreNotStored() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String body = photo("3EB0M1", 1_500_000, "this one, in red");
            assertThat(body.length()).as("over the ordinary 1 MiB limit").isGreaterThan(2_000_000);
            HttpResponse<String> r = h.post(PATH, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("this one, in red");
            JsonNode m = b.get("messages").get(0);
            assertThat(m.get("type").asText()).isEqualTo("image");
            assertThat(m.get("attachments").get(0).get("mimeType").asText()).isEqualTo("image/jpeg");
            assertThat(m.get("metadata").get("mediaBytes").asLong()).isBetween(1_499_000L, 1_501_000L);
            assertThat(b.toString().length()).as("the bot's batch holds no media bytes").isLessThan(2_000);
        }
    }

    @Test
    void aWppconnectPhotoWhoseBodyIsTheMediaInBase64KeepsItsCaption() {
        byte[] photo = new byte[1_500_000];
        new Random(9).nextBytes(photo);
        // WPPConnect server's default autoDownload puts the media, base64, in the message's body.
        String body = "{\"event\": \"onmessage\", \"session\": \"salon\", \"id\": \"false_79001234567@c.us_3EB0W1\", "
                + "\"body\": \"" + Base64.getEncoder().encodeToString(photo) + "\", \"type\": \"image\", \"t\": "
                + (System.currentTimeMillis() / 1000) + ", \"notifyName\": \"Anna\", \"from\": \"79001234567@c.us\", "
                + "\"mimetype\": \"image/jpeg\", \"caption\": \"and in blue?\", \"isGroupMsg\": false}";
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            HttpResponse<String> r = h.post(PATH, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("and in blue?");
            assertThat(b.get("messages").get(0).get("metadata").get("mediaBytes").asLong()).isBetween(1_499_000L, 1_501_000L);
            assertThat(b.toString().length()).isLessThan(2_000);
        }
    }

    @Test
    void aSmallInlinePhotoIsMeasuredTooAndItsBytesAreNotStored() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            assertThat(h.post(PATH, photo("3EB0M2", 30_000, "and this?")).statusCode()).isEqualTo(200);
            JsonNode b = h.onlyBatch();
            assertThat(b.get("messages").get(0).get("metadata").get("mediaBytes").asLong()).isEqualTo(30_000L);
            assertThat(b.toString().length()).isLessThan(2_000);
        }
    }

    @Test
    void aSignedLargeBodyIsCheckedOverTheBytesAsSent() {
        IngestSettings signed = IngestSettings.defaults().withSecrets("bridge-secret", "", "", "", "");
        try (IngestHarness h = new IngestHarness(signed, POLICY, true)) {
            String body = photo("3EB0M3", 1_200_000, "signed");
            HttpResponse<String> ok = h.post(PATH, body, Signing.bridge("bridge-secret", PATH, body,
                    System.currentTimeMillis()));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            String tampered = photo("3EB0M4", 1_200_000, "signed");
            HttpResponse<String> bad = h.post(PATH, tampered, Signing.bridge("bridge-secret", PATH,
                    tampered.replace("signed", "SIGNED"), System.currentTimeMillis()));
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(401);
            assertThat(bad.body()).contains("x-signature does not match");
            assertThat(h.onlyBatch().get("text").asText()).isEqualTo("signed");
        }
    }

    @Test
    void aLargeBodyThatIsNotMediaOrOverTheBridgeLimitIsRefusedNamingTheSetting() {
        IngestSettings s = IngestSettings.defaults().withEdge(EdgeSettings.defaults().withBridgeBodyBytes(4_000_000));
        try (IngestHarness h = new IngestHarness(s, POLICY, false)) {
            HttpResponse<String> text = h.post(PATH, "{\"from\": \"79001234567\", \"message\": \""
                    + "x".repeat(1_100_000) + "\"}");
            assertThat(text.statusCode()).as(text.body()).isEqualTo(413);
            assertThat(text.body()).contains("RAPIDFIRE_MAX_BODY_BYTES");
            HttpResponse<String> huge = h.post(PATH, photo("3EB0M5", 3_500_000, "too big"));
            assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);
            assertThat(huge.body()).contains("at most 4000000", "RAPIDFIRE_BRIDGE_MAX_BODY_BYTES");
            HttpResponse<String> broken = h.post(PATH, photo("3EB0M6", 1_000_000, "x").replace("\"}, \"messageType\"", "\""));
            assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
            assertThat(h.store.counts().pending()).isZero();
        }
    }
}
