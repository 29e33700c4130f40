package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Policy;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.IngestHarness;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence (typing) events of every bridge that has them, over real HTTP into a real Redis with a real worker
 * and bot endpoint: a composing person's batch is held past the quiet period, and released a grace after they
 * stop. Each format's payloads are shaped like the bridge's real webhook bodies (docs/formats-and-routes.md).
 */
@Tag("redis")
class PresenceEventsTest {
    private static final String WA = "/webhook/whatsapp/batched";
    /** A short quiet period and grace, so that held (2x quiet) and released (grace) are far apart. */
    private static final Policy POLICY = new Policy(1_000, 20_000, 10, 16_384, " ").withTyping(true, 300, 10_000);

    record Bridge(String name, String path, String message, String typing, String stopped, String format) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Bridge> bridges() {
        String jid = "79001234567@s.whatsapp.net";
        String baileys = "{\"event\": \"presence.update\", \"data\": {\"id\": \"" + jid + "\", \"presences\": {\""
                + jid + "\": {\"lastKnownPresence\": \"%s\"}}}}";
        String evolution = "{\"event\": \"presence.update\", \"instance\": \"salon\", \"data\": {\"id\": \"" + jid
                + "\", \"presences\": {\"" + jid + "\": {\"lastKnownPresence\": \"%s\"}}}, \"destination\": "
                + "\"http://rapidfire:8080/webhook/whatsapp/batched\", \"date_time\": \"2026-11-30T09:00:01.512Z\", "
                + "\"sender\": \"79009998877@s.whatsapp.net\", \"server_url\": \"http://evolution:8080\", \"apikey\": "
                + "\"B6D711FCDE4D4FD5936544120E713976\"}";
        String wajs = "{\"id\": \"79001234567@c.us\", \"isOnline\": true, \"isGroup\": false, \"isUser\": true, "
                + "\"shortName\": \"Anna\", \"state\": \"%s\", \"t\": 1764493201, \"isContact\": true}";
        String wpp = "{\"event\": \"onpresencechanged\", \"session\": \"salon\", " + wajs.substring(1);
        return List.of(
                new Bridge("Baileys presence.update", WA, baileysText(jid), baileys.formatted("composing"),
                        baileys.formatted("paused"), "baileys-presence"),
                new Bridge("Evolution API PRESENCE_UPDATE", WA, evolutionText(jid), evolution.formatted("recording"),
                        evolution.formatted("available"), "baileys-presence"),
                new Bridge("WPPConnect onpresencechanged", WA, "{\"event\": \"onmessage\", \"session\": \"salon\", "
                        + "\"id\": \"false_79001234567@c.us_3EB0A0C1\", \"from\": \"79001234567@c.us\", \"body\": "
                        + "\"I would like\", \"type\": \"chat\", \"t\": 1764493200, \"isGroupMsg\": false}",
                        wpp.formatted("composing"), wpp.formatted("available"), "wppconnect-presence"),
                new Bridge("Venom presence object", WA, "{\"id\": \"false_79001234567@c.us_3EB0A0C2\", \"from\": "
                        + "\"79001234567@c.us\", \"body\": \"I would like\", \"type\": \"chat\", \"t\": 1764493200, "
                        + "\"isGroupMsg\": false, \"notifyName\": \"Anna\"}", wajs.formatted("composing"),
                        wajs.formatted("available"), "venom-presence"),
                new Bridge("generic typing flag", "/webhook/web-chat", "{\"sender\": \"visitor-8842\", \"id\": \"w1\", "
                        + "\"text\": \"I would like\"}", "{\"sender\": \"visitor-8842\", \"typing\": true}",
                        "{\"sender\": \"visitor-8842\", \"typing\": false}", "generic-presence"));
    }

    private static String baileysText(String jid) {
        return "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", \"messages\": [{\"key\": {\"remoteJid\": \""
                + jid + "\", \"fromMe\": false, \"id\": \"3A5F1B0C\"}, \"messageTimestamp\": 1764493200, \"pushName\": "
                + "\"Anna\", \"message\": {\"conversation\": \"I would like\"}}]}}";
    }

    private static String evolutionText(String jid) {
        return "{\"event\": \"messages.upsert\", \"instance\": \"salon\", \"data\": {\"key\": {\"remoteJid\": \"" + jid
                + "\", \"fromMe\": false, \"id\": \"3EB0B431C1E8A2D07F1A\"}, \"pushName\": \"Anna\", \"message\": "
                + "{\"conversation\": \"I would like\"}, \"messageType\": \"conversation\", \"messageTimestamp\": "
                + "1764493200, \"instanceId\": \"9b4d2a8e\", \"source\": \"android\"}, \"date_time\": "
                + "\"2026-11-30T09:00:00.104Z\", \"sender\": \"79009998877@s.whatsapp.net\", \"server_url\": "
                + "\"http://evolution:8080\", \"apikey\": \"B6D711FCDE4D4FD5936544120E713976\"}";
    }

    private static IngestHarness harness() {
        RedisBatchStore store = RedisBatchStore.builder(SharedRedis.url()).clientName("rapidfire:test-presence")
                .timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(4)
                .dedupWindow(Duration.ofMinutes(1)).build();
        IngestSettings s = IngestSettings.defaults().withSwitches(false, false, false, false, List.of("web-chat"));
        return new IngestHarness(store, s, POLICY, true);
    }

    private static HttpResponse<String> ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bridges")
    void aComposingPersonsBatchIsHeldAndReleasedAGraceAfterTheyStop(Bridge b) {
        try (IngestHarness h = harness()) {
            ok(h.post(b.path(), b.message()));
            HttpResponse<String> typing = ok(h.post(b.path(), b.typing()));
            assertThat(typing.body()).contains("\"format\":\"" + b.format() + "\"", "\"accepted\":0",
                    "\"presence\":1", "\"presenceRecorded\":1");

            // Nothing for twice the quiet period: held while typing.
            await().during(Duration.ofMillis(2 * POLICY.quietMs())).atMost(Duration.ofSeconds(10))
                    .until(() -> h.batches().isEmpty());

            long stoppedAt = System.currentTimeMillis();
            ok(h.post(b.path(), b.stopped()));
            await().atMost(Duration.ofSeconds(5)).until(() -> !h.batches().isEmpty());
            HttpReceiver.Request got = h.bot.requests().get(0);
            JsonNode batch = h.batches().get(0);
            assertThat(batch.get("text").asText()).isEqualTo("I would like");
            assertThat(batch.get("reason").asText()).isEqualTo("typing_stopped");
            assertThat(got.atMillis() - stoppedAt).as("released a grace after the stop")
                    .isGreaterThanOrEqualTo(POLICY.typingGraceMs() - 20).isLessThan(POLICY.typingGraceMs() + 2_000);
            // The presence events are never delivered: still one batch a while later.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> h.batches().size() == 1);
        }
    }

    /**
     * Someone typing their first message: the presence event creates no batch, only the conversation's pace
     * (with the idle TTL, so it is garbage-collected if they never send), and their first message is released a
     * grace after it arrives instead of a whole quiet period.
     */
    @Test
    void aPersonSeenTypingTheirFirstMessageGetsNoBatchButAnEarlyReleaseOnceTheySend() {
        try (IngestHarness h = harness();
             RedisClient client = RedisClient.create(SharedRedis.url());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            Bridge b = bridges().get(0);
            HttpResponse<String> r = ok(h.post(WA, b.typing()));
            assertThat(r.body()).contains("\"presence\":1", "\"presenceRecorded\":1");
            RedisBatchStore store = (RedisBatchStore) h.store;
            ConversationRef conv = new ConversationRef("default", "whatsapp", "+79001234567");
            String key = store.keyspace().conversation(store.partitionOf(conv), conv.key());
            assertThat(h.store.counts().pending()).as("no batch from a presence event").isZero();
            assertThat(redis.sync().pttl(key)).as("the pace of a sender with nothing pending expires")
                    .isPositive();

            long sentAt = System.currentTimeMillis();
            ok(h.post(WA, b.message()));
            await().atMost(Duration.ofSeconds(5)).until(() -> !h.batches().isEmpty());
            assertThat(h.batches().get(0).get("reason").asText()).isEqualTo("typing_stopped");
            assertThat(h.bot.requests().get(0).atMillis() - sentAt).as("a grace, not the quiet period")
                    .isLessThan(POLICY.quietMs());
        }
    }

    @Test
    void onTheUnbatchedRouteAPresenceEventIsAcknowledgedAndHoldsNothing() {
        try (IngestHarness h = harness()) {
            ok(h.post("/webhook/whatsapp", "{\"from\": \"79001234567\", \"message\": \"alone\"}"));
            HttpResponse<String> r = ok(h.post("/webhook/whatsapp", bridges().get(0).typing()));
            assertThat(r.body()).contains("\"presenceRecorded\":0");
            await().atMost(Duration.ofSeconds(5)).until(() -> h.batches().size() == 1);
            assertThat(h.batches().get(0).get("reason").asText()).isEqualTo("passthrough");
        }
    }
}
