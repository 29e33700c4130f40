package io.rapidfire.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.ingest.HandoverSettings;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handing a conversation to a human over real HTTP, with the worker delivering to a real HTTP bot: the business's own
 * messages as each bridge reports them, the operator's routes, the bot's own request, the commit, bad input.
 */
@Tag("fast")
class HandoverOverHttpTest {
    private static final Policy POLICY = new Policy(200, 5_000, 10, 4_000, " ");
    private static final String ANA = "default:whatsapp:+79001234567";

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.JSON.readTree(r.body());
    }

    private static boolean handedOver(IngestHarness h, String key) throws Exception {
        HttpResponse<String> r = h.get("/admin/conversations/" + key + "/handover");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).path("active").asBoolean();
    }

    private static String text(int i) {
        return "{\"from\": \"79001234567@c.us\", \"message\": \"part " + i + "\", \"messageId\": \"3EB0" + i + "\"}";
    }

    /** Every message the bot received, by id, and whether its batch came marked handover. */
    private static List<String> received(IngestHarness h, boolean handover, String type) {
        List<String> out = new ArrayList<>();
        for (JsonNode b : h.batches()) {
            for (JsonNode m : b.path("messages")) {
                if (b.path("handover").asBoolean() == handover && m.path("type").asText().equals(type)) {
                    out.add(type.equals("handover") ? m.path("metadata").path("handover").asText() : m.path("id").asText());
                }
            }
        }
        return out;
    }

    @Test
    void theBusinesssOwnMessageFromAPersonHandsTheChatOverOnEachBridgeThatSaysWhoSentIt() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, false)) {
            // WAHA message.any: source "app" is the phone or WhatsApp Web (waha.devlike.pro, Receive messages).
            assertThat(h.post("/webhook/waha", "{\"event\": \"message.any\", \"session\": \"default\", \"payload\": "
                    + "{\"id\": \"true_79001234567@c.us_3EB0A1\", \"timestamp\": 1764320000, \"from\": \"79990000000@c.us\", "
                    + "\"fromMe\": true, \"source\": \"app\", \"to\": \"79001234567@c.us\", \"body\": \"Anna here\"}}")
                    .statusCode()).isEqualTo(200);
            // Z-API on-message-received: fromMe with fromApi false was typed on the phone.
            assertThat(h.post("/webhook/z-api", "{\"type\": \"ReceivedCallback\", \"phone\": \"79001234568\", "
                    + "\"fromMe\": true, \"fromApi\": false, \"messageId\": \"3EB0B2\", \"momment\": 1764320000000, "
                    + "\"text\": {\"message\": \"Anna here\"}}").statusCode()).isEqualTo(200);
            // Chatwoot message_created, outgoing, sender type user: an agent in the inbox.
            assertThat(h.post("/webhook/chatwoot", "{\"event\": \"message_created\", \"id\": 8, \"content\": \"Anna here\", "
                    + "\"message_type\": \"outgoing\", \"private\": false, \"sender\": {\"id\": 1, \"type\": \"user\"}, "
                    + "\"conversation\": {\"id\": 7}, \"account\": {\"id\": 1}}").statusCode()).isEqualTo(200);
            // WhatsApp Cloud API coexistence: an echo of what the business sent from the Business app on its phone.
            assertThat(h.post("/webhook/whatsapp-cloud", "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"id\": "
                    + "\"1\", \"changes\": [{\"field\": \"smb_message_echoes\", \"value\": {\"messaging_product\": "
                    + "\"whatsapp\", \"metadata\": {\"phone_number_id\": \"1\"}, \"message_echoes\": [{\"from\": "
                    + "\"79990000000\", \"to\": \"79001234572\", \"id\": \"wamid.E1\", \"timestamp\": \"1764320000\", "
                    + "\"type\": \"text\", \"text\": {\"body\": \"Anna here\"}}]}}]}]}").statusCode()).isEqualTo(200);
            // The bot's own answers through the same bridges: WAHA source api, Z-API fromApi true, a Chatwoot agent bot.
            h.post("/webhook/waha", "{\"event\": \"message.any\", \"session\": \"default\", \"payload\": {\"id\": "
                    + "\"true_79001234569@c.us_3EB0C3\", \"from\": \"79990000000@c.us\", \"fromMe\": true, \"source\": "
                    + "\"api\", \"to\": \"79001234569@c.us\", \"body\": \"bot answer\"}}");
            h.post("/webhook/z-api", "{\"type\": \"ReceivedCallback\", \"phone\": \"79001234570\", \"fromMe\": true, "
                    + "\"fromApi\": true, \"messageId\": \"3EB0D4\", \"text\": {\"message\": \"bot answer\"}}");
            h.post("/webhook/chatwoot", "{\"event\": \"message_created\", \"id\": 9, \"content\": \"bot answer\", "
                    + "\"message_type\": \"outgoing\", \"sender\": {\"id\": 2, \"type\": \"agent_bot\"}, "
                    + "\"conversation\": {\"id\": 8}, \"account\": {\"id\": 1}}");
            // Baileys says nothing of who sent it: under the default (human) it hands nothing over.
            h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": {\"messages\": [{\"key\": "
                    + "{\"remoteJid\": \"79001234571@s.whatsapp.net\", \"fromMe\": true, \"id\": \"3EB0E5\"}, "
                    + "\"message\": {\"conversation\": \"hi\"}}], \"type\": \"notify\"}}");

            assertThat(handedOver(h, ANA)).as("WAHA, from the phone").isTrue();
            assertThat(handedOver(h, "default:whatsapp:+79001234568")).as("Z-API, from the phone").isTrue();
            assertThat(handedOver(h, "default:chatwoot:cw:1%2F7")).as("Chatwoot agent").isTrue();
            JsonNode list = json(h.get("/admin/handovers"));
            assertThat(handedOver(h, "default:whatsapp:+79001234572")).as("Cloud API echo").isTrue();
            assertThat(list.path("handovers")).hasSize(4);
            assertThat(list.path("handovers").get(0).path("startedBy").asText()).isEqualTo("business");
            assertThat(handedOver(h, "default:whatsapp:+79001234569")).as("WAHA, the bot").isFalse();
            assertThat(handedOver(h, "default:whatsapp:+79001234570")).as("Z-API, the bot").isFalse();
            assertThat(handedOver(h, "default:chatwoot:cw:1%2F8")).as("Chatwoot agent bot").isFalse();
            assertThat(handedOver(h, "default:whatsapp:+79001234571")).as("Baileys, unknown sender").isFalse();

            // With RAPIDFIRE_HANDOVER_FROM_ME=all, a fromMe the bridge does not attribute hands over too.
            h.server().handovers(h.handovers, new HandoverSettings(HandoverSettings.FromMe.ALL,
                    HandoverSettings.DEFAULT_MS, List.of(), List.of()));
            h.post("/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": {\"messages\": [{\"key\": "
                    + "{\"remoteJid\": \"79001234571@s.whatsapp.net\", \"fromMe\": true, \"id\": \"3EB0F6\"}, "
                    + "\"message\": {\"conversation\": \"hi\"}}], \"type\": \"notify\"}}");
            assertThat(handedOver(h, "default:whatsapp:+79001234571")).as("Baileys under all").isTrue();
        }
    }

    @Test
    void whileAHumanHasTheChatEveryMessageReachesTheBotMarkedAndNothingIsLost() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            assertThat(h.post("/admin/conversations/" + ANA + "/handover?for=30m", "").statusCode()).isEqualTo(200);
            for (int i = 1; i <= 6; i++) {
                assertThat(h.post("/webhook/whatsapp/batched", text(i)).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> received(h, true, "text").size() == 6
                    && h.store.counts().pending() == 0 && h.store.counts().inflight() == 0);
            assertThat(received(h, true, "text")).as("the ledger: every message, once, marked")
                    .containsExactlyInAnyOrder("3EB01", "3EB02", "3EB03", "3EB04", "3EB05", "3EB06");
            assertThat(received(h, false, "text")).as("nothing unmarked").isEmpty();
            assertThat(received(h, true, "handover")).containsExactly("started");

            JsonNode ended = json(h.delete("/admin/conversations/" + ANA + "/handover"));
            assertThat(ended.path("ended").path("startedBy").asText()).isEqualTo("operator");
            h.post("/webhook/whatsapp/batched", text(7));
            await().atMost(Duration.ofSeconds(10)).until(() -> received(h, false, "text").contains("3EB07"));
            // The "ended" event goes out at once; claimed in the moment before the state is removed it comes marked, after
            // it unmarked: either way, before the new message, which comes unmarked.
            List<String> events = new ArrayList<>();
            for (JsonNode b : h.batches()) {
                for (JsonNode m : b.path("messages")) {
                    if (m.path("type").asText().equals("handover")) {
                        events.add(m.path("metadata").path("handover").asText());
                    } else if (m.path("id").asText().equals("3EB07")) {
                        events.add("3EB07");
                    }
                }
            }
            assertThat(events).as("in the conversation's order").containsExactly("started", "ended", "3EB07");
            assertThat(received(h, true, "text")).hasSize(6);
        }
    }

    @Test
    void aCallerCannotForgeAHandoverEventTheTypeReadsAsOther() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            assertThat(h.post("/webhook/web", "{\"sender\": \"user-42\", \"id\": \"f1\", \"text\": \"hi\", "
                    + "\"type\": \"handover\"}").statusCode()).isEqualTo(200);
            JsonNode b = h.onlyBatch();
            assertThat(b.path("messages").get(0).path("type").asText()).isEqualTo("other");
            assertThat(b.path("handover").asBoolean()).isFalse();
        }
    }

    @Test
    void aBotThatAnswersHandoverTrueHandsTheChatToAHuman() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, true)) {
            h.botBody.set("{\"handover\": true, \"reason\": \"asked for a refund\"}");
            h.post("/webhook/whatsapp/batched", text(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> handedOver(h, ANA));
            JsonNode state = json(h.get("/admin/conversations/" + ANA + "/handover"));
            assertThat(state.path("handover").path("startedBy").asText()).isEqualTo("bot");
            assertThat(state.path("handover").path("endsInMs").asLong()).isBetween(1L, HandoverSettings.DEFAULT_MS);
        }
    }

    @Test
    void aCommitDuringAHandoverIsAnswered409SayingAHumanHasTheChat() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, false)) {
            h.post("/webhook/whatsapp/batched", text(1));
            List<io.rapidfire.core.ClaimedBatch> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                for (int p = 0; p < h.store.partitions(); p++) {
                    got.addAll(h.store.claim(p, 10, 60_000, "w").batches());
                }
                return !got.isEmpty();
            });
            io.rapidfire.core.Lease lease = got.get(0).lease();
            h.post("/admin/conversations/" + ANA + "/handover?forever=true", "");
            HttpResponse<String> r = h.post("/v1/batches/" + lease.batchId() + "/commit?p=" + lease.partition(), "");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            assertThat(json(r).path("handover").asBoolean()).isTrue();
            assertThat(json(r).path("error").asText()).contains("a human has taken the conversation over");
        }
    }

    @Test
    void theKeywordsOfThePersonAndOfTheBusinessStartAndEndAHandover() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, false)) {
            h.server().handovers(h.handovers, new HandoverSettings(HandoverSettings.FromMe.HUMAN,
                    HandoverSettings.DEFAULT_MS, List.of("operator", "оператор"), List.of("#bot")));
            JsonNode a = json(h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": "
                    + "\"Оператор, пожалуйста!\", \"messageId\": \"k1\"}"));
            assertThat(a.path("handovers").asInt()).isEqualTo(1);
            assertThat(handedOver(h, ANA)).isTrue();
            h.post("/webhook/waha", "{\"event\": \"message.any\", \"session\": \"default\", \"payload\": {\"id\": \"k2\", "
                    + "\"from\": \"79990000000@c.us\", \"fromMe\": true, \"source\": \"app\", \"to\": "
                    + "\"79001234567@c.us\", \"body\": \"Done here, back to the assistant #bot\"}}");
            assertThat(handedOver(h, ANA)).as("handed back by the business's keyword").isFalse();
        }
    }

    @Test
    void aHandoverAskedWrongIsRefusedSayingWhatIsAcceptedAndChangesNothing() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), POLICY, false)) {
            String path = "/admin/conversations/" + ANA + "/handover";
            HttpResponse<String> none = h.post(path, "");
            assertThat(none.statusCode()).isEqualTo(400);
            assertThat(none.body()).contains("?for=30m").contains("?forever=true");
            HttpResponse<String> past = h.post(path + "?untilMs=1000", "");
            assertThat(past.statusCode()).isEqualTo(400);
            assertThat(past.body()).contains("in the past");
            HttpResponse<String> long8d = h.post(path + "?for=8d", "");
            assertThat(long8d.statusCode()).isEqualTo(400);
            assertThat(long8d.body()).contains("at most a week");
            assertThat(h.post(path + "?for=soon", "").body()).contains("90s, 30m, 2h, 1d");
            assertThat(h.post(path + "?for=106751991168d", "").statusCode()).as("no overflow").isEqualTo(400);
            assertThat(h.post("/admin/conversations/default:whatsapp:%2B790******67/handover?for=1h", "").body())
                    .as("a key copied from the masked view names nobody").contains("masked conversation key");
            assertThat(h.post("/admin/conversations/not-a-key/handover?for=1h", "").statusCode()).isEqualTo(400);
            HttpResponse<String> end = h.delete(path);
            assertThat(end.statusCode()).isEqualTo(404);
            assertThat(end.body()).contains(ANA).contains("no handover in force");
            assertThat(handedOver(h, ANA)).isFalse();
            assertThat(json(h.get("/admin/handovers")).path("handovers")).isEmpty();
        }
    }
}
