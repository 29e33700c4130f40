package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One person under their lid and their phone is one conversation (issue 24, point 5; IdentityLinks): a bridge that
 * gives both ids teaches the pair, later messages with only the lid join the phone's batch, and a batch already
 * open under the lid when the pair is learned is released on its own, first. Baileys/Evolution's key with
 * {@code remoteJidAlt} / {@code senderPn} as Baileys 6.7+ and Evolution v2 post it, with our own values; over real
 * HTTP into a store with a worker and a bot endpoint.
 */
@Tag("fast")
class LidAndPhoneTest {
    private static final Policy POLICY = new Policy(500, 10_000, 20, 16_384, " ");
    private static final long T = System.currentTimeMillis() / 1000 - 60;

    private static String upsert(String id, String jid, String altField, String alt, String text, long ts) {
        return "{\"event\": \"messages.upsert\", \"instance\": \"salon\", \"data\": {\"key\": {\"remoteJid\": \"" + jid
                + "\", \"fromMe\": false, \"id\": \"" + id + "\"" + (alt == null ? "" : ", \"" + altField + "\": \"" + alt + "\"")
                + "}, \"pushName\": \"Anna\", \"message\": {\"conversation\": \"" + text + "\"}, \"messageTimestamp\": " + ts + "}}";
    }

    private static void accepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).as(r.body()).contains("\"accepted\":1");
    }

    @Test
    void theLidAndThePhoneOfOnePersonGiveOneBatchUnderThePhone() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", upsert("L1", "1234567890123@lid", "remoteJidAlt",
                    "79001234567@s.whatsapp.net", "hi", T)));
            accepted(h.post("/webhook/whatsapp/batched", upsert("L2", "1234567890123@lid", null, null, "are you open", T + 1)));
            accepted(h.post("/webhook/whatsapp/batched", upsert("L3", "79001234567@s.whatsapp.net", null, null, "today?", T + 2)));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("conversation").asText()).isEqualTo("+79001234567");
            assertThat(b.get("text").asText()).isEqualTo("hi are you open today?");
            assertThat(b.get("messages").get(1).get("metadata").get("lid").asText()).isEqualTo("lid:1234567890123");

            JsonNode link = MessageCodec.JSON.readTree(h.get("/admin/links/1234567890123").body());
            assertThat(link.get("linked").asBoolean()).isTrue();
            assertThat(link.get("phone").asText()).as("a tokenless loopback read is the masked view").isEqualTo("+790******67");
            assertThat(MessageCodec.JSON.readTree(h.get("/admin/links/999999999").body()).get("linked").asBoolean()).isFalse();
            HttpResponse<String> bad = h.get("/admin/links/not-a-lid");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("is not a lid");
        }
    }

    @Test
    void aPhoneJidWithTheLidAsItsAlternativeTeachesThePairToo() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", upsert("P1", "79001234567@s.whatsapp.net", "senderPn",
                    "1234567890123@lid", "book me", T)));
            accepted(h.post("/webhook/whatsapp/batched", upsert("P2", "1234567890123@lid", null, null, "for friday", T + 1)));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("conversation").asText()).isEqualTo("+79001234567");
            assertThat(b.get("text").asText()).isEqualTo("book me for friday");
        }
    }

    @Test
    void aGroupParticipantUnderLidAndPhoneIsOneConversationInThatGroup() {
        IngestSettings groups = IngestSettings.defaults().withSwitches(true, false, false, false, List.of());
        try (IngestHarness h = new IngestHarness(groups, POLICY, true)) {
            String g = "{\"event\": \"messages.upsert\", \"instance\": \"salon\", \"data\": {\"key\": {\"remoteJid\": "
                    + "\"120363000000000001@g.us\", \"fromMe\": false, \"id\": \"%s\", \"participant\": \"5550005550005@lid\"%s}, "
                    + "\"message\": {\"conversation\": \"%s\"}, \"messageTimestamp\": %d}}";
            accepted(h.post("/webhook/whatsapp/batched", String.format(g, "G1",
                    ", \"participantPn\": \"79001234570@s.whatsapp.net\"", "hi all", T)));
            accepted(h.post("/webhook/whatsapp/batched", String.format(g, "G2", "", "me again", T + 1)));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("conversation").asText()).isEqualTo("group:120363000000000001@g.us/+79001234570");
            assertThat(b.get("text").asText()).isEqualTo("hi all me again");
        }
    }

    @Test
    void wahaNowebGivesBothIdsInItsBaileysKeyAndTheyMakeOneConversation() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String msg = "{\"event\": \"message\", \"session\": \"default\", \"payload\": {\"id\": \"%s\", \"timestamp\": %d, "
                    + "\"from\": \"3213213213213@lid\", \"fromMe\": false, \"body\": \"%s\", \"hasMedia\": false%s}}";
            accepted(h.post("/webhook/waha", String.format(msg, "false_3213213213213@lid_N1", T, "hello", ", \"_data\": "
                    + "{\"key\": {\"remoteJid\": \"3213213213213@lid\", \"remoteJidAlt\": \"79001234569@s.whatsapp.net\"}}")));
            accepted(h.post("/webhook/waha", String.format(msg, "false_3213213213213@lid_N2", T + 1, "it's Oleg", "")));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("conversation").asText()).isEqualTo("+79001234569");
            assertThat(b.get("text").asText()).isEqualTo("hello it's Oleg");
        }
    }

    @Test
    void aBatchOpenUnderTheLidWhenThePairIsLearnedIsReleasedOnItsOwnFirst() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), new Policy(2_000, 10_000, 20, 16_384, " "), true)) {
            accepted(h.post("/webhook/whatsapp/batched", upsert("Q1", "5550001112223@lid", null, null, "hello", T)));
            accepted(h.post("/webhook/whatsapp/batched", upsert("Q2", "5550001112223@lid", "remoteJidAlt",
                    "79001234568@s.whatsapp.net", "it's Anna", T + 1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 2);
            List<JsonNode> got = h.batches();
            assertThat(got.get(0).get("conversation").asText()).isEqualTo("lid:5550001112223");
            assertThat(got.get(0).get("text").asText()).isEqualTo("hello");
            assertThat(got.get(0).get("reason").asText()).as("released when the pair was learned").isEqualTo("flush");
            assertThat(got.get(1).get("conversation").asText()).isEqualTo("+79001234568");
            assertThat(got.get(1).get("text").asText()).isEqualTo("it's Anna");
        }
    }

    @Test
    void aCallerCannotForgeAPairAndASecondPhoneDoesNotTakeAKnownLidOver() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            // The generic route passes a caller's metadata through: a "lid" there is the caller's words, not a pair.
            accepted(h.post("/webhook/web", "{\"sender\": \"+79005550000\", \"text\": \"hi\", "
                    + "\"metadata\": {\"lid\": \"lid:7777777777\"}}"));
            assertThat(MessageCodec.JSON.readTree(h.get("/admin/links/7777777777").body()).get("linked").asBoolean())
                    .as("no pair from metadata").isFalse();

            accepted(h.post("/webhook/whatsapp/batched", upsert("F1", "7777777777@lid", "remoteJidAlt",
                    "79001234567@s.whatsapp.net", "first", T)));
            accepted(h.post("/webhook/whatsapp/batched", upsert("F2", "7777777777@lid", "remoteJidAlt",
                    "79009999999@s.whatsapp.net", "forged", T + 1)));
            accepted(h.post("/webhook/whatsapp/batched", upsert("F3", "7777777777@lid", null, null, "later", T + 2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() >= 3
                    && h.store.counts().pending() == 0 && h.store.counts().inflight() == 0);
            java.util.Map<String, String> texts = new java.util.HashMap<>();
            h.batches().forEach(b -> texts.put(b.get("conversation").asText(), b.get("text").asText()));
            assertThat(texts.get("+79001234567")).as("the lid stays with the first phone").isEqualTo("first later");
            assertThat(texts.get("+79009999999")).isEqualTo("forged");

            HttpResponse<String> unlinked = h.delete("/admin/links/7777777777");
            assertThat(unlinked.statusCode()).as(unlinked.body()).isEqualTo(200);
            assertThat(unlinked.body()).contains("\"unlinked\":true");
            assertThat(MessageCodec.JSON.readTree(h.get("/admin/links/7777777777").body()).get("linked").asBoolean()).isFalse();
        }
    }
}
