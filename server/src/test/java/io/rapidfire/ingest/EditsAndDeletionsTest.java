package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A person edits or deletes a message while their thought waits (issue 24, point 4; core/Edits): each bridge's own
 * shape of an edit and a deletion (Baileys' protocolMessage, Evolution's messages.update DELETED and
 * messages.delete, WAHA's message.edited / message.revoked, the Cloud API's edit / revoke, Telegram's
 * edited_message and deleted_business_messages), posted over real HTTP into a store with a worker and a bot
 * endpoint; what the bot receives.
 */
@Tag("fast")
class EditsAndDeletionsTest {
    private static final Policy POLICY = new Policy(400, 10_000, 20, 16_384, " ");
    private static final long T = System.currentTimeMillis() / 1000 - 60;

    private static String baileys(String id, String message, long ts) {
        return "{\"event\": \"messages.upsert\", \"instance\": \"salon\", \"data\": {\"key\": {\"remoteJid\": "
                + "\"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": \"" + id + "\"}, \"pushName\": \"Anna\", "
                + "\"message\": " + message + ", \"messageTimestamp\": " + ts + "}}";
    }

    private static void accepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).as(r.body()).contains("\"accepted\":1");
    }

    @Test
    void anEditOfAnOpenMessageReplacesItsTextSoTheBotReadsIWant3PizzasPepperoni() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0A1", "{\"conversation\": \"i want 2 pizzas\"}", T)));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0A2", "{\"protocolMessage\": {\"key\": {\"remoteJid\": "
                    + "\"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": \"3EB0A1\"}, \"type\": \"MESSAGE_EDIT\", "
                    + "\"editedMessage\": {\"conversation\": \"i want 3 pizzas\"}}}", T + 1)));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0A3", "{\"conversation\": \"pepperoni\"}", T + 2)));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("i want 3 pizzas pepperoni");
            assertThat(b.get("size").asInt()).isEqualTo(2);
            JsonNode first = b.get("messages").get(0);
            assertThat(first.get("id").asText()).isEqualTo("3EB0A1");
            assertThat(first.get("metadata").get("edited").asBoolean()).isTrue();
            assertThat(b.has("deleted")).isFalse();
        }
    }

    @Test
    void anEditIsNotMediaWhenMediaReleasesTheBatch() {
        IngestSettings mediaReleases = IngestSettings.defaults().withSwitches(false, false, false, true, List.of());
        try (IngestHarness h = new IngestHarness(mediaReleases, POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0G1", "{\"conversation\": \"two coffees\"}", T)));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0G2", "{\"protocolMessage\": {\"key\": {\"id\": "
                    + "\"3EB0G1\"}, \"type\": \"MESSAGE_EDIT\", \"editedMessage\": {\"conversation\": \"three coffees\"}}}",
                    T + 1)));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0G3", "{\"conversation\": \"to go\"}", T + 2)));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("three coffees to go");
            assertThat(b.get("reason").asText()).isEqualTo("quiet");
        }
    }

    @Test
    void anEditMadeOnThePhoneAsEvolutionWrapsItIsAppliedLikeAnyEdit() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0B1", "{\"conversation\": \"see you at 6\"}", T)));
            accepted(h.post("/webhook/whatsapp/batched/messages-edited", baileys("3EB0B2", "{\"editedMessage\": "
                    + "{\"message\": {\"protocolMessage\": {\"key\": {\"id\": \"3EB0B1\"}, \"type\": 14, \"editedMessage\": "
                    + "{\"extendedTextMessage\": {\"text\": \"see you at 7\"}}}}}}", T + 1)
                    .replace("messages.upsert", "messages.edited")));
            assertThat(h.onlyBatch().get("text").asText()).isEqualTo("see you at 7");
        }
    }

    @Test
    void aDeletionOfAnOpenMessageRemovesItAndTheBatchNamesIt() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0C1", "{\"conversation\": \"i want pizza\"}", T)));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.update\", \"instance\": \"salon\", "
                    + "\"data\": {\"keyId\": \"3EB0C1\", \"remoteJid\": \"79001234567@s.whatsapp.net\", \"fromMe\": false, "
                    + "\"status\": \"DELETED\", \"messageId\": \"cmfyoow42000hov4xwkdug3lv\"}}"));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0C2", "{\"conversation\": \"actually sushi\"}", T + 2)));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("actually sushi");
            assertThat(b.get("deleted").get(0).asText()).isEqualTo("3EB0C1");
        }
    }

    @Test
    void evolutionsMessagesDeleteEventRemovesTheMessage() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0H1", "{\"conversation\": \"call me\"}", T)));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0H2", "{\"conversation\": \"tomorrow\"}", T + 1)));
            accepted(h.post("/webhook/whatsapp/batched/messages-delete", "{\"event\": \"messages.delete\", \"instance\": "
                    + "\"salon\", \"data\": {\"remoteJid\": \"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": "
                    + "\"3EB0H1\"}}"));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("tomorrow");
            assertThat(b.get("deleted").get(0).asText()).isEqualTo("3EB0H1");
        }
    }

    @Test
    void aThoughtWhoseEveryMessageWasDeletedCostsTheBotNothing() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0D1", "{\"conversation\": \"wrong chat, sorry\"}", T)));
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0D2", "{\"protocolMessage\": {\"key\": {\"id\": "
                    + "\"3EB0D1\"}, \"type\": \"REVOKE\"}}", T + 1)));
            // The batch is released after the quiet period and acknowledged without a delivery.
            await().atMost(Duration.ofSeconds(10)).until(() -> h.store.counts().pending() == 0
                    && h.store.counts().inflight() == 0 && h.store.pending(10).isEmpty());
            assertThat(h.batches()).isEmpty();
            // The person writes again: that reaches the bot, alone.
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0D3", "{\"conversation\": \"hello\"}", T + 2)));
            assertThat(h.onlyBatch().get("text").asText()).isEqualTo("hello");
        }
    }

    @Test
    void anEditOfAMessageAlreadyReleasedReachesTheBotInTheNextBatchAsAnEventNamingIt() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0E1", "{\"conversation\": \"book me for 6\"}", T)));
            assertThat(h.onlyBatch().get("text").asText()).isEqualTo("book me for 6");
            accepted(h.post("/webhook/whatsapp/batched", baileys("3EB0E2", "{\"protocolMessage\": {\"key\": {\"id\": "
                    + "\"3EB0E1\"}, \"type\": \"MESSAGE_EDIT\", \"editedMessage\": {\"conversation\": \"book me for 7\"}}}", T + 5)));
            await().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 2);
            assertThat(h.batches().get(1).get("text").asText()).as("a bot reading only the text sees a correction")
                    .isEqualTo("(edited) book me for 7");
            JsonNode event = h.batches().get(1).get("messages").get(0);
            assertThat(event.get("type").asText()).isEqualTo("edit");
            assertThat(event.get("text").asText()).isEqualTo("book me for 7");
            assertThat(event.get("metadata").get("originalId").asText()).isEqualTo("3EB0E1");
        }
    }

    @Test
    void wahaEditsAndDeletionsApplyToTheOpenBatch() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String msg = "{\"event\": \"message\", \"session\": \"default\", \"payload\": {\"id\": \"%s\", \"timestamp\": %d, "
                    + "\"from\": \"79001234567@c.us\", \"fromMe\": false, \"body\": \"%s\", \"hasMedia\": false}}";
            accepted(h.post("/webhook/waha", String.format(msg, "false_79001234567@c.us_W1", T, "two tickets")));
            accepted(h.post("/webhook/waha", String.format(msg, "false_79001234567@c.us_W2", T + 1, "for friday")));
            accepted(h.post("/webhook/waha", String.format(msg, "false_79001234567@c.us_W3", T + 2, "three tickets")
                    .replace("\"event\": \"message\"", "\"event\": \"message.edited\"")
                    .replace("\"hasMedia\": false", "\"hasMedia\": false, \"editedMessageId\": \"false_79001234567@c.us_W1\"")));
            accepted(h.post("/webhook/waha", "{\"event\": \"message.revoked\", \"session\": \"default\", \"payload\": "
                    + "{\"revokedMessageId\": \"false_79001234567@c.us_W2\", \"after\": {\"id\": \"false_79001234567@c.us_W4\", "
                    + "\"from\": \"79001234567@c.us\", \"fromMe\": false, \"timestamp\": " + (T + 3) + "}}}"));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("three tickets");
            assertThat(b.get("deleted").get(0).asText()).isEqualTo("false_79001234567@c.us_W2");
        }
    }

    @Test
    void cloudApiEditsAndRevokesApplyToTheOpenBatch() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String envelope = "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"id\": \"1\", \"changes\": [{\"field\": "
                    + "\"messages\", \"value\": {\"messaging_product\": \"whatsapp\", \"metadata\": {\"phone_number_id\": \"555\"}, "
                    + "\"messages\": [%s]}}]}]}";
            accepted(h.post("/webhook/whatsapp-cloud", String.format(envelope, "{\"from\": \"79001234567\", \"id\": \"wamid.C1\", "
                    + "\"timestamp\": \"" + T + "\", \"type\": \"text\", \"text\": {\"body\": \"a table for 2\"}}")));
            accepted(h.post("/webhook/whatsapp-cloud", String.format(envelope, "{\"from\": \"79001234567\", \"id\": \"wamid.C2\", "
                    + "\"timestamp\": \"" + (T + 1) + "\", \"type\": \"text\", \"text\": {\"body\": \"by the window\"}}")));
            accepted(h.post("/webhook/whatsapp-cloud", String.format(envelope, "{\"from\": \"79001234567\", \"id\": \"wamid.C3\", "
                    + "\"timestamp\": \"" + (T + 2) + "\", \"type\": \"edit\", \"edit\": {\"original_message_id\": \"wamid.C1\", "
                    + "\"message\": {\"type\": \"text\", \"text\": {\"body\": \"a table for 4\"}}}}")));
            accepted(h.post("/webhook/whatsapp-cloud", String.format(envelope, "{\"from\": \"79001234567\", \"id\": \"wamid.C4\", "
                    + "\"timestamp\": \"" + (T + 3) + "\", \"type\": \"revoke\", \"revoke\": {\"original_message_id\": \"wamid.C2\"}}")));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("a table for 4");
            assertThat(b.get("deleted").get(0).asText()).isEqualTo("wamid.C2");
        }
    }

    @Test
    void telegramEditsAndBusinessDeletionsApplyToTheOpenBatch() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String m = "{\"message_id\": %d, \"from\": {\"id\": 42, \"first_name\": \"Anna\"}, \"chat\": {\"id\": 42, "
                    + "\"type\": \"private\"}, \"date\": %d, \"text\": \"%s\"%s}";
            accepted(h.post("/webhook/telegram", "{\"update_id\": 1, \"message\": " + String.format(m, 70, T, "at 6 pm", "") + "}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 2, \"message\": " + String.format(m, 71, T + 1, "please", "") + "}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 3, \"edited_message\": "
                    + String.format(m, 70, T, "at 7 pm", ", \"edit_date\": " + (T + 2)) + "}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 5, \"business_message\": " + String.format(m, 72, T + 3,
                    "table for two", "") + "}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 6, \"edited_business_message\": "
                    + String.format(m, 72, T + 3, "table for three", ", \"edit_date\": " + (T + 4)) + "}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 4, \"deleted_business_messages\": {\"business_connection_id\": "
                    + "\"bc-1\", \"chat\": {\"id\": 42, \"type\": \"private\"}, \"message_ids\": [71]}}"));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("at 7 pm table for three");
            assertThat(b.get("deleted").get(0).asText()).isEqualTo("71");
        }
    }

    @Test
    void aMalformedEditOrDeletionIsRefusedNamingWhatIsMissingAndNothingIsStored() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, false)) {
            for (String[] bad : List.of(
                    new String[]{"/webhook/whatsapp/batched", baileys("3EB0F1", "{\"protocolMessage\": {\"type\": "
                            + "\"MESSAGE_EDIT\", \"key\": {\"id\": \"X\"}}}", T), "editedMessage"},
                    new String[]{"/webhook/whatsapp/batched", "{\"event\": \"messages.update\", \"instance\": \"s\", "
                            + "\"data\": {\"status\": \"DELETED\", \"remoteJid\": \"79001234567@s.whatsapp.net\"}}", "keyId"},
                    new String[]{"/webhook/waha", "{\"event\": \"message.revoked\", \"session\": \"default\", \"payload\": "
                            + "{\"after\": {\"from\": \"79001234567@c.us\"}}}", "revokedMessageId"})) {
                HttpResponse<String> r = h.post(bad[0], bad[1]);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(r.body()).contains(bad[2]);
            }
            assertThat(h.store.counts().pending()).isZero();
        }
    }
}
