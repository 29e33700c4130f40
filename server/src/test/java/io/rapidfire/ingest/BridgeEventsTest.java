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
 * What bridges post besides new messages (issue 24, part): every well-formed event of a known bridge is acknowledged
 * (200, its kind named, never batched), since a bridge answered 4xx retries or turns its webhook off; and a person's
 * answers that used to be dropped reach the bot: Telegram button presses and business messages, WhatsApp button and
 * list replies, Baileys' wrapped messages. Shapes as the Bot API reference, Baileys' WAProto and wa-js define them,
 * with our own values. Over real HTTP, into a store with a worker and a bot endpoint.
 */
@Tag("fast")
class BridgeEventsTest {
    private static final Policy POLICY = new Policy(400, 10_000, 20, 16_384, " ");

    private static JsonNode onlyBatch(IngestHarness h) {
        return h.onlyBatch();
    }

    private static void acknowledged(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"accepted\":0").contains("\"ignored\":1").contains(reason);
    }

    private static void accepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"accepted\":1");
    }

    @Test
    void telegramButtonPressesAndBusinessMessagesAreThePersonsWordsAndEveryOtherUpdateIsAcknowledged() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String now = Long.toString(System.currentTimeMillis() / 1000);
            accepted(h.post("/webhook/telegram", "{\"update_id\": 10, \"business_message\": {\"business_connection_id\": "
                    + "\"bc-1\", \"message_id\": 70, \"from\": {\"id\": 42, \"first_name\": \"Anna\"}, \"chat\": {\"id\": 42, "
                    + "\"type\": \"private\"}, \"date\": " + now + ", \"text\": \"which size do I need?\"}}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 11, \"callback_query\": {\"id\": \"4382bfdwdsb323b2d9\", "
                    + "\"from\": {\"id\": 42, \"is_bot\": false, \"first_name\": \"Anna\"}, \"chat_instance\": \"-8\", "
                    + "\"data\": \"size_m\", \"message\": {\"message_id\": 71, \"chat\": {\"id\": 42, \"type\": \"private\"}, "
                    + "\"date\": " + now + ", \"text\": \"Pick a size\", \"reply_markup\": {\"inline_keyboard\": [[{\"text\": "
                    + "\"Size S\", \"callback_data\": \"size_s\"}, {\"text\": \"Size M\", \"callback_data\": \"size_m\"}]]}}}}"));
            for (String kind : List.of("message_reaction", "chosen_inline_result", "pre_checkout_query",
                    "chat_join_request", "a_kind_added_to_the_bot_api_later")) {
                acknowledged(h.post("/webhook/telegram", "{\"update_id\": 12, \"" + kind + "\": {\"id\": \"x\"}}"), kind);
            }
            JsonNode b = onlyBatch(h);
            assertThat(b.get("conversation").asText()).isEqualTo("tg:42");
            assertThat(b.get("text").asText()).isEqualTo("which size do I need? Size M");
            assertThat(b.get("messages").get(1).get("metadata").get("button").asText()).isEqualTo("size_m");
            assertThat(b.get("messages").get(0).get("metadata").get("businessConnectionId").asText()).isEqualTo("bc-1");
        }
    }

    @Test
    void evolutionAndWppconnectEventsThatAreNotMessagesAreAcknowledgedAndNeverBatched() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            for (String event : List.of("messages.update", "send.message", "connection.update", "qrcode.updated",
                    "CHATS_UPSERT")) {
                acknowledged(h.post("/webhook/whatsapp/batched", "{\"event\": \"" + event + "\", \"instance\": \"salon\", "
                        + "\"data\": {\"state\": \"open\"}}"), "event " + event);
            }
            for (String event : List.of("status-find", "qrcode", "incomingcall")) {
                acknowledged(h.post("/webhook/whatsapp/batched", "{\"event\": \"" + event + "\", \"session\": \"salon\", "
                        + "\"status\": \"inChat\"}"), "event " + event);
            }
            for (String type : List.of("e2e_notification", "notification_template", "ciphertext", "call_log", "revoked")) {
                acknowledged(h.post("/webhook/whatsapp/batched", "{\"event\": \"onmessage\", \"session\": \"salon\", "
                        + "\"id\": \"false_79001234567@c.us_N" + type + "\", \"from\": \"79001234567@c.us\", \"type\": \""
                        + type + "\", \"body\": \"\", \"t\": 1764320000}"), "system notice (type " + type + ")");
            }
            await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
            assertThat(h.batches()).as("no empty batch reaches the bot").isEmpty();
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void buttonAndListRepliesAndWrappedMessagesFromBaileysEvolutionAndWppconnectReachTheBot() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String key = "\"key\": {\"remoteJid\": \"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": \"";
            // Evolution's "webhook by events" mode posts each event to a path of its own.
            accepted(h.post("/webhook/whatsapp/batched/messages-upsert", "{\"event\": \"messages.upsert\", \"instance\": "
                    + "\"salon\", \"data\": {" + key + "W1\"}, \"messageTimestamp\": 1764320000, \"message\": "
                    + "{\"ephemeralMessage\": {\"message\": {\"extendedTextMessage\": {\"text\": \"hi, is it open\"}}}}}}"));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", "
                    + "\"messages\": [{" + key + "W2\"}, \"messageTimestamp\": 1764320001, \"message\": {\"viewOnceMessageV2\": "
                    + "{\"message\": {\"imageMessage\": {\"caption\": \"this one\", \"mimetype\": \"image/jpeg\"}}}}}]}}"));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", "
                    + "\"messages\": [{" + key + "W3\"}, \"messageTimestamp\": 1764320002, \"message\": {\"buttonsResponseMessage\": "
                    + "{\"selectedButtonId\": \"book\", \"selectedDisplayText\": \"Book a visit\"}}}]}}"));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", "
                    + "\"messages\": [{" + key + "W4\"}, \"messageTimestamp\": 1764320003, \"message\": {\"listResponseMessage\": "
                    + "{\"title\": \"Tomorrow 8:00\", \"singleSelectReply\": {\"selectedRowId\": \"slot-0800\"}}}}]}}"));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"onmessage\", \"session\": \"salon\", \"id\": "
                    + "\"false_79001234567@c.us_W5\", \"from\": \"79001234567@c.us\", \"type\": \"buttons_response\", "
                    + "\"body\": \"Yes, confirm\", \"selectedButtonId\": \"confirm\", \"t\": 1764320004}"));
            acknowledged(h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", "
                    + "\"messages\": [{" + key + "W6\"}, \"message\": {\"reactionMessage\": {\"text\": \"👍\"}}}]}}"), "a reaction");
            JsonNode b = onlyBatch(h);
            assertThat(b.get("text").asText()).isEqualTo("hi, is it open this one Book a visit Tomorrow 8:00 Yes, confirm");
            assertThat(b.get("messages").get(1).get("type").asText()).isEqualTo("image");
            assertThat(b.get("messages").get(2).get("metadata").get("buttonId").asText()).isEqualTo("book");
            assertThat(b.get("messages").get(3).get("metadata").get("buttonId").asText()).isEqualTo("slot-0800");
            assertThat(b.get("messages").get(4).get("metadata").get("buttonId").asText()).isEqualTo("confirm");
        }
    }

    /** A Cloud API webhook carrying one message, as Meta's webhook reference shapes it. */
    private static String cloud(String id, String type, String content) {
        return "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"id\": \"102290129340398\", \"changes\": "
                + "[{\"field\": \"messages\", \"value\": {\"messaging_product\": \"whatsapp\", \"metadata\": "
                + "{\"display_phone_number\": \"15550783881\", \"phone_number_id\": \"106540352242922\"}, \"contacts\": "
                + "[{\"profile\": {\"name\": \"Ana\"}, \"wa_id\": \"16505551234\"}], \"messages\": [{\"from\": "
                + "\"16505551234\", \"id\": \"wamid." + id + "\", \"timestamp\": \"" + System.currentTimeMillis() / 1000
                + "\", \"type\": \"" + type + "\", " + content + "}]}}]}]}";
    }

    @Test
    void cloudApiButtonRepliesKeepTheirIdsOrdersReadAsTextAndADocumentsNameIsNotItsUrl() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            accepted(h.post("/webhook/whatsapp-cloud", cloud("C1", "interactive", "\"interactive\": {\"type\": "
                    + "\"button_reply\", \"button_reply\": {\"id\": \"confirm-8\", \"title\": \"Confirm 8:00\"}}")));
            accepted(h.post("/webhook/whatsapp-cloud", cloud("C2", "button", "\"button\": {\"payload\": \"STOP_PROMO\", "
                    + "\"text\": \"Stop promotions\"}")));
            accepted(h.post("/webhook/whatsapp-cloud", cloud("C3", "order", "\"order\": {\"catalog_id\": \"cat-1\", "
                    + "\"text\": \"deliver after 6\", \"product_items\": [{\"product_retailer_id\": \"SKU-1\", "
                    + "\"quantity\": 2, \"item_price\": 12.5, \"currency\": \"EUR\"}, {\"product_retailer_id\": \"SKU-9\", "
                    + "\"quantity\": 1, \"item_price\": 3, \"currency\": \"EUR\"}]}")));
            accepted(h.post("/webhook/whatsapp-cloud", cloud("C4", "document", "\"document\": {\"caption\": \"my receipt\", "
                    + "\"filename\": \"receipt.pdf\", \"mime_type\": \"application/pdf\", \"sha256\": \"abc\", \"id\": \"8710\"}")));
            JsonNode b = h.onlyBatch();
            assertThat(b.get("text").asText()).isEqualTo("Confirm 8:00 Stop promotions Order: 2 x SKU-1 (12.5 EUR), "
                    + "1 x SKU-9 (3 EUR). deliver after 6 my receipt");
            JsonNode ms = b.get("messages");
            assertThat(ms.get(0).get("metadata").get("buttonId").asText()).isEqualTo("confirm-8");
            assertThat(ms.get(1).get("metadata").get("buttonId").asText()).isEqualTo("STOP_PROMO");
            assertThat(ms.get(2).get("metadata").get("order").get("product_items").size()).isEqualTo(2);
            assertThat(ms.get(3).get("metadata").get("fileName").asText()).isEqualTo("receipt.pdf");
            JsonNode doc = ms.get(3).get("attachments").get(0);
            assertThat(doc.get("mediaId").asText()).isEqualTo("8710");
            assertThat(doc.path("url").isNull() || doc.path("url").isMissingNode()).as("no URL: " + doc).isTrue();
        }
    }

    @Test
    void anEventPathThatIsNotAnEventNameIsNotARoute() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, false)) {
            HttpResponse<String> r = h.post("/webhook/whatsapp/batched/Messages_Upsert", "{\"event\": \"messages.upsert\"}");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("webhook by events");
        }
    }

    @Test
    void aCloudApiUserKnownOnlyByAUsernameIsTheirOwnConversationAndAMalformedUserIdIsRefused() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            String byUsername = cloud("U1", "text", "\"text\": {\"body\": \"hi, it's me\"}")
                    .replace("\"wa_id\": \"16505551234\"", "\"user_id\": \"US.13491208655302741918\"")
                    .replace("\"from\": \"16505551234\"", "\"from_user_id\": \"US.13491208655302741918\"");
            accepted(h.post("/webhook/whatsapp-cloud", byUsername));
            JsonNode b = onlyBatch(h);
            assertThat(b.get("conversation").asText()).isEqualTo("bsuid:US.13491208655302741918");
            assertThat(b.get("messages").get(0).get("metadata").get("name").asText()).isEqualTo("Ana");
            HttpResponse<String> bad = h.post("/webhook/whatsapp-cloud", byUsername.replace("US.1349", "not a user id "));
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(bad.body()).contains("from_user_id").contains("business-scoped user id");
            HttpResponse<String> none = h.post("/webhook/whatsapp-cloud",
                    byUsername.replace("\"from_user_id\": \"US.13491208655302741918\", ", ""));
            assertThat(none.statusCode()).as(none.body()).isEqualTo(400);
            assertThat(none.body()).contains("'entry[0].changes[0].value.messages[0].from' is missing");
        }
    }

    @Test
    void pollVotesReadAsTheChosenOptionsOnEveryBridgeThatReportsThem() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            long t = System.currentTimeMillis() / 1000;
            accepted(h.post("/webhook/waha", "{\"event\": \"poll.vote\", \"session\": \"default\", \"payload\": {\"vote\": "
                    + "{\"id\": \"true_79001234567@c.us_V1\", \"from\": \"79001234567@c.us\", \"fromMe\": false, "
                    + "\"selectedOptions\": [\"Tuesday\", \"Friday\"], \"timestamp\": " + t + "}, \"poll\": {\"id\": "
                    + "\"true_79001234567@c.us_P1\"}}}"));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"onpollresponse\", \"session\": \"salon\", "
                    + "\"msgId\": {\"_serialized\": \"true_79001234568@c.us_P2\"}, \"chatId\": {\"_serialized\": "
                    + "\"79001234568@c.us\"}, \"selectedOptions\": [{\"name\": \"Size M\", \"localId\": 1}], \"timestamp\": "
                    + t + ", \"sender\": \"79001234568@c.us\"}"));
            accepted(h.post("/webhook/telegram", "{\"update_id\": 40, \"poll_answer\": {\"poll_id\": \"5432\", \"user\": "
                    + "{\"id\": 42, \"first_name\": \"Anna\"}, \"option_ids\": [0, 2]}}"));
            acknowledged(h.post("/webhook/telegram", "{\"update_id\": 41, \"poll_answer\": {\"poll_id\": \"5432\", "
                    + "\"user\": {\"id\": 42}, \"option_ids\": []}}"), "taken back");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 3);
            java.util.Map<String, JsonNode> byConversation = new java.util.HashMap<>();
            h.batches().forEach(b -> byConversation.put(b.get("conversation").asText(), b));
            assertThat(byConversation.get("+79001234567").get("text").asText()).isEqualTo("Tuesday, Friday");
            assertThat(byConversation.get("+79001234567").at("/messages/0/metadata/pollId").asText())
                    .isEqualTo("true_79001234567@c.us_P1");
            assertThat(byConversation.get("+79001234568").get("text").asText()).isEqualTo("Size M");
            assertThat(byConversation.get("tg:42").get("text").asText()).isEqualTo("option 1, option 3");
            assertThat(byConversation.get("tg:42").at("/messages/0/metadata/pollOptions").toString()).isEqualTo("[0,2]");
        }
    }

    @Test
    void wppconnectsOfflineBacklogIsDeliveredInOrderAndItsDeletionsApply() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            long t = System.currentTimeMillis() / 1000 - 600;
            String m = "{\"event\": \"unreadmessages\", \"session\": \"salon\", \"id\": \"false_79001234567@c.us_%s\", "
                    + "\"body\": \"%s\", \"type\": \"chat\", \"t\": %d, \"notifyName\": \"Anna\", \"from\": "
                    + "\"79001234567@c.us\", \"isGroupMsg\": false}";
            // The bridge posts its backlog concurrently: arrival order is not the order they were written.
            accepted(h.post("/webhook/whatsapp/batched", String.format(m, "U3", "at 5?", t + 20)));
            accepted(h.post("/webhook/whatsapp/batched", String.format(m, "U1", "hello, are you open", t)));
            accepted(h.post("/webhook/whatsapp/batched", String.format(m, "U2", "on sunday", t + 10)));
            accepted(h.post("/webhook/whatsapp/batched", "{\"event\": \"onrevokedmessage\", \"session\": \"salon\", "
                    + "\"from\": \"79001234567@c.us\", \"to\": \"79990000000@c.us\", \"id\": \"false_79001234567@c.us_R1\", "
                    + "\"refId\": \"false_79001234567@c.us_U3\"}"));
            JsonNode b = onlyBatch(h);
            assertThat(b.get("text").asText()).isEqualTo("hello, are you open on sunday");
            assertThat(b.get("deleted").get(0).asText()).isEqualTo("false_79001234567@c.us_U3");
        }
    }
}
