package io.rapidfire.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding a contact, a conversation or a batch, and replaying dead letters in bulk, over real HTTP. */
@Tag("fast")
class SearchOverHttpTest {
    private static final Policy SLOW = new Policy(600_000, 1_200_000, 10, 4_000, " ");

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.JSON.readTree(r.body());
    }

    private static void deadLetter(IngestHarness h, String phone) {
        ConversationRef c = new ConversationRef("default", "whatsapp", phone);
        h.store.append(Message.text(c, "d-" + phone, "hi", null), SLOW.withQuietMs(0));
        for (int p = 0; p < h.store.partitions(); p++) {
            for (ClaimedBatch b : h.store.claim(p, 10, 60_000, "w").batches()) {
                h.store.deadLetter(b.lease(), b.batch(), "refused: HTTP 422");
            }
        }
    }

    @Test
    void aSearchFindsOpenConversationsAndDeadLettersAndABulkReplayTakesOnlyWhatItFinds() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"hi\", \"messageId\": \"o1\"}");
            deadLetter(h, "+79005550001");
            deadLetter(h, "+79005550002");
            deadLetter(h, "+79007770003");
            JsonNode open = json(h.get("/admin/search?q=1234567"));
            assertThat(open.path("conversations")).hasSize(1);
            // No admin token here: loopback reads the masked view, and a search answers in it like every read.
            assertThat(open.path("numbersShown").asBoolean()).isFalse();
            assertThat(open.path("conversations").get(0).path("key").asText()).isEqualTo("default:whatsapp:+790******67");
            assertThat(open.path("deadLetters")).isEmpty();
            JsonNode dead = json(h.get("/admin/search?q=555000"));
            assertThat(dead.path("deadLetters")).hasSize(2);
            String id = dead.path("deadLetters").get(0).path("batchId").asText();
            assertThat(json(h.get("/admin/search?q=" + id)).path("deadLetters")).as("by batch id").hasSize(1);

            HttpResponse<String> unconfirmed = h.post("/admin/dead-letters/replay?q=555000", "");
            assertThat(unconfirmed.statusCode()).isEqualTo(400);
            assertThat(unconfirmed.body()).contains("confirm=true");
            assertThat(h.store.counts().deadLetters()).isEqualTo(3);
            assertThat(json(h.post("/admin/dead-letters/replay?confirm=true&q=555000", "")).path("replayed").asInt())
                    .isEqualTo(2);
            assertThat(h.store.counts().deadLetters()).as("the one the search did not find stays").isEqualTo(1);
            assertThat(json(h.post("/admin/dead-letters/replay?confirm=true", "")).path("replayed").asInt()).isEqualTo(1);
            assertThat(h.store.counts().deadLetters()).isZero();
        }
    }

    @Test
    void aSearchTooShortOrTooLongIsRefusedSayingWhatItTakes() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            HttpResponse<String> one = h.get("/admin/search?q=7");
            assertThat(one.statusCode()).isEqualTo(400);
            assertThat(one.body()).contains("2 to 128 characters").contains("batch id");
            assertThat(h.get("/admin/search").statusCode()).isEqualTo(400);
            assertThat(h.get("/admin/search?q=" + "9".repeat(129)).statusCode()).isEqualTo(400);
        }
    }
}
