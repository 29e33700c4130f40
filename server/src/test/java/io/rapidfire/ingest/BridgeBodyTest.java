package io.rapidfire.ingest;

import io.rapidfire.http.Refused;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streamed copy of a large bridge body without its inline media (BridgeBody), on tricky JSON. */
@Tag("fast")
class BridgeBodyTest {
    private static final int LIMIT = 512;

    private static BridgeBody.Body read(String json, Mac mac) {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        return BridgeBody.read(new ByteArrayInputStream(raw), -1, LIMIT, 1_000_000, mac);
    }

    private static JsonNode slim(String json) throws Exception {
        return MessageCodec.JSON.readTree(read(json, null).json());
    }

    @Test
    void mediaStringsAreDroppedWithTheirSizeAndEverythingElseIsKeptExactly() throws Exception {
        String media = "QUJD".repeat(300); // 1,200 base64 characters: 900 bytes
        JsonNode j = slim("{\"a\": \"x\\\"y: \\\\\", \"base64\"  :\n \"" + media + "\", \"b\": [1, {\"c\": \"d\"}, \"base64\"], "
                + "\"message\": {\"imageMessage\": {\"jpegThumbnail\": \"" + media + "\", \"caption\": \"in red\"}}, "
                + "\"ba\\\"se64\": \"kept\"}");
        assertThat(j.get("a").asText()).isEqualTo("x\"y: \\");
        assertThat(j.get("base64").asText()).isEmpty();
        assertThat(j.get("base64Bytes").asLong()).isEqualTo(900);
        assertThat(j.get("b").toString()).isEqualTo("[1,{\"c\":\"d\"},\"base64\"]");
        assertThat(j.at("/message/imageMessage/jpegThumbnail").asText()).isEmpty();
        assertThat(j.at("/message/imageMessage/jpegThumbnailBytes").asLong()).isEqualTo(900);
        assertThat(j.at("/message/imageMessage/caption").asText()).isEqualTo("in red");
        assertThat(j.get("ba\"se64").asText()).isEqualTo("kept");
    }

    @Test
    void aBodyStringIsMediaOnlyWhenItIsLongAndAllBase64() throws Exception {
        String media = "QUJD".repeat(BridgeBody.BODY_PROBE / 4 + 100);
        JsonNode j = slim("{\"type\": \"image\", \"body\": \"" + media + "\", \"caption\": \"hi\"}");
        assertThat(j.get("body").asText()).isEmpty();
        assertThat(j.get("bodyBytes").asLong()).isEqualTo(media.length() * 3L / 4);
        String words = "word ".repeat(BridgeBody.BODY_PROBE / 5 + 100);
        assertThatThrownBy(() -> read("{\"type\": \"chat\", \"body\": \"" + words + "\"}", null))
                .isInstanceOf(Refused.class).hasMessageContaining("without its inline media")
                .hasMessageContaining("RAPIDFIRE_MAX_BODY_BYTES");
    }

    @Test
    void theDigestIsOverTheBytesAsSentNotTheCopy() throws Exception {
        String json = "{\"base64\": \"" + "QUJD".repeat(400) + "\", \"x\": 1}  \n";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        BridgeBody.Body b = read(json, mac);
        Mac expected = Mac.getInstance("HmacSHA256");
        expected.init(new SecretKeySpec("k".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(b.digest()).isEqualTo(expected.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(read("{\"x\": 1}", mac).digest()).as("a body within the limit is signed by the caller").isNull();
    }

    @Test
    void aBodyOverTheBridgeLimitIsRefusedNamingIt() {
        byte[] raw = ("{\"base64\": \"" + "QUJD".repeat(1_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BridgeBody.read(new ByteArrayInputStream(raw), -1, LIMIT, 2_000, null))
                .isInstanceOf(Refused.class).hasMessageContaining("RAPIDFIRE_BRIDGE_MAX_BODY_BYTES");
        assertThatThrownBy(() -> BridgeBody.read(new ByteArrayInputStream(raw), 5_000, LIMIT, 2_000, null))
                .isInstanceOf(Refused.class).hasMessageContaining("the body is 5000 bytes");
    }

    @Test
    void aBodyThatLooksLikeMediaButTurnsOutToBeTextIsRefusedNotDropped() {
        String almost = "QUJD".repeat(BridgeBody.BODY_PROBE / 4 + 100) + " and then words";
        assertThatThrownBy(() -> read("{\"type\": \"chat\", \"body\": \"" + almost + "\"}", null))
                .isInstanceOf(Refused.class).hasMessageContaining("not media").hasMessageContaining("RAPIDFIRE_MAX_BODY_BYTES");
    }

    @Test
    void whenEveryStreamIsBusyALargeBodyIsAnswered503WithRetryAfterAndASmallOneIsNot() {
        java.util.concurrent.Semaphore none = new java.util.concurrent.Semaphore(0);
        byte[] large = ("{\"base64\": \"" + "QUJD".repeat(400) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BridgeBody.read(new ByteArrayInputStream(large), -1, LIMIT, 1_000_000, null, none))
                .isInstanceOf(Refused.class).hasMessageContaining("send it again")
                .satisfies(e -> assertThat(((Refused) e).status).isEqualTo(503))
                .satisfies(e -> assertThat(((Refused) e).retryAfterSeconds).isPositive());
        byte[] small = "{\"x\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThat(BridgeBody.read(new ByteArrayInputStream(small), -1, LIMIT, 1_000_000, null, none).json()).isEqualTo(small);
        java.util.concurrent.Semaphore one = new java.util.concurrent.Semaphore(1);
        BridgeBody.read(new ByteArrayInputStream(large), -1, LIMIT, 1_000_000, null, one);
        assertThat(one.availablePermits()).as("released after reading").isEqualTo(1);
    }
}
