package io.rapidfire.ingest;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.Policy;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.testing.FaultyStore;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.rapidfire.testing.IngestHarness.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("fast")
class WebhookSecurityTest {
    private static final Policy SLOW = new Policy(60_000, 120_000, 100, 16_384, " ");
    private static final IngestSettings SIGNED = IngestSettings.defaults()
            .withSecrets("bridge-secret", "meta-secret", "verify-me", "tg-secret", "admin-secret");

    @Test
    void aCorrectlySignedBridgeRequestIsAcceptedAndItsReplayIsRefused() {
        try (IngestHarness h = new IngestHarness(SIGNED, SLOW, false)) {
            String body = payload("original-1.json");
            String[] sig = Signing.bridge("bridge-secret", "/webhook/whatsapp/batched", body, System.currentTimeMillis());
            assertThat(h.post("/webhook/whatsapp/batched", body, sig).statusCode()).isEqualTo(200);
            HttpResponse<String> replay = h.post("/webhook/whatsapp/batched", body, sig);
            assertThat(replay.statusCode()).isEqualTo(401);
            assertThat(replay.body()).contains("already used");
        }
    }

    /** The answer says "retry the same request"; the replay guard must not turn that retry into a lost message. */
    @Test
    void aSignedRequestRefusedWith429IsStoredOnceWhenRetriedByteForByte() {
        IngestSettings tight = SIGNED.withLimits(1_048_576, 1, 2.0, 2_000, 500);
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            String path = "/webhook/whatsapp/batched";
            String first = "{\"from\": \"79001234567\", \"message\": \"one\", \"messageId\": \"m1\"}";
            String second = "{\"from\": \"79001234567\", \"message\": \"two\", \"messageId\": \"m2\"}";
            assertThat(h.post(path, first, Signing.bridge("bridge-secret", path, first, System.currentTimeMillis()))
                    .statusCode()).isEqualTo(200);
            String[] sig = Signing.bridge("bridge-secret", path, second, System.currentTimeMillis());
            HttpResponse<String> limited = h.post(path, second, sig);
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> h.post(path, second, sig).statusCode() == 200);
            assertThat(h.store.pending(10)).singleElement().satisfies(p -> assertThat(p.messages()).isEqualTo(2));
            HttpResponse<String> replay = h.post(path, second, sig);
            assertThat(replay.statusCode()).as("once stored, the signature is spent").isEqualTo(401);
            assertThat(replay.body()).contains("already used");
        }
    }

    @Test
    void aSignedRequestRefusedWith503IsStoredOnceWhenRetriedByteForByte() {
        FaultyStore flaky = new FaultyStore(MemoryBatchStore.builder().partitions(4).build(), 1);
        try (IngestHarness h = new IngestHarness(flaky.store, SIGNED, SLOW, false)) {
            String path = "/webhook/whatsapp/batched";
            String body = payload("original-1.json");
            String[] sig = Signing.bridge("bridge-secret", path, body, System.currentTimeMillis());
            HttpResponse<String> down = h.post(path, body, sig);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            flaky.heal();
            HttpResponse<String> retry = h.post(path, body, sig);
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(retry.body()).contains("\"accepted\":1");
            assertThat(h.store.pending(10)).singleElement().satisfies(p -> assertThat(p.messages()).isEqualTo(1));
            assertThat(h.post(path, body, sig).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void bridgeSignaturesThatAreMissingWrongStaleOrNonNumericAreRefusedAndNothingIsStored() {
        try (IngestHarness h = new IngestHarness(SIGNED, SLOW, false)) {
            String body = payload("original-1.json");
            String path = "/webhook/whatsapp/batched";
            long now = System.currentTimeMillis();
            assertThat(h.post(path, body).body()).contains("missing x-signature");
            assertThat(h.post(path, body, Signing.bridge("wrong-secret", path, body, now)).body()).contains("does not match");
            assertThat(h.post(path, body, Signing.bridge("bridge-secret", path, body, now - 6 * 60_000)).body())
                    .contains("within ±300 s");
            assertThat(h.post(path, body, "x-timestamp", "yesterday", "x-signature", "abc").body())
                    .contains("x-timestamp must be a number");
            assertThat(h.post(path, body, Signing.bridge("bridge-secret", "/webhook/whatsapp", body, now)).body())
                    .as("signed for another path").contains("does not match");
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void metaSignaturesAreCheckedOverTheRawBody() {
        try (IngestHarness h = new IngestHarness(SIGNED, SLOW, false)) {
            String body = payload("cloud-text.json");
            assertThat(h.post("/webhook/whatsapp-cloud", body, Signing.meta("meta-secret", body)).statusCode()).isEqualTo(200);
            assertThat(h.post("/webhook/whatsapp-cloud", body + " ", Signing.meta("meta-secret", body)).statusCode())
                    .as("one byte changed").isEqualTo(401);
            assertThat(h.post("/webhook/whatsapp-cloud", body).body()).contains("missing X-Hub-Signature-256");
        }
    }

    @Test
    void theMetaVerificationHandshakeEchoesTheChallengeOnlyForTheRightToken() {
        try (IngestHarness h = new IngestHarness(SIGNED, SLOW, false)) {
            HttpResponse<String> ok = h.get("/webhook/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("1158201444");
            assertThat(h.get("/webhook/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1").statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void telegramRequestsNeedTheSecretToken() {
        try (IngestHarness h = new IngestHarness(SIGNED, SLOW, false)) {
            String body = payload("telegram-text.json");
            assertThat(h.post("/webhook/telegram", body).statusCode()).isEqualTo(401);
            assertThat(h.post("/webhook/telegram", body, "X-Telegram-Bot-Api-Secret-Token", "guess").statusCode()).isEqualTo(401);
            assertThat(h.post("/webhook/telegram", body, "X-Telegram-Bot-Api-Secret-Token", "tg-secret").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withAnAdminTokenStatsClearAndFlushNeedIt() {
        try (IngestHarness h = new IngestHarness(SIGNED, SLOW, false)) {
            assertThat(h.get("/webhook/whatsapp/batched/stats").statusCode()).isEqualTo(401);
            assertThat(h.get("/webhook/whatsapp/batched/stats", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
            assertThat(h.delete("/webhook/whatsapp/batched/79001234567").statusCode()).isEqualTo(401);
            assertThat(h.post("/webhook/whatsapp/batched/79001234567/flush", "").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = h.get("/webhook/whatsapp/batched/stats", "Authorization", "Bearer admin-secret");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"phonesMasked\":false");
        }
    }

    @Test
    void withoutAnAdminTokenStatsMasksPhoneNumbers() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            h.post("/webhook/whatsapp/batched", payload("original-1.json"));
            String stats = h.get("/webhook/whatsapp/batched/stats").body();
            assertThat(stats).contains("\"phonesMasked\":true").contains("\"phone\":\"+790******67\"")
                    .doesNotContain("79001234567");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() {
        IngestSettings small = IngestSettings.defaults().withLimits(2_048, 60, 1.0, 2_000, 500);
        try (IngestHarness h = new IngestHarness(small, SLOW, false)) {
            HttpResponse<String> r = h.post("/webhook/whatsapp/batched",
                    "{\"from\": \"79001234567\", \"message\": \"" + "x".repeat(3_000) + "\"}");
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("at most 2048", "RAPIDFIRE_MAX_BODY_BYTES");
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void twentyMessagesInFiveSecondsFromOneSenderAreAllAcceptedByTheDefaultLimits() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = h.post("/webhook/whatsapp/batched",
                        "{\"from\": \"79001234567\", \"message\": \"part " + i + "\", \"messageId\": \"b" + i + "\"}");
                assertThat(r.statusCode()).as("message " + (i + 1) + " of a burst").isEqualTo(200);
            }
            assertThat(h.store.pending(10).get(0).messages()).isEqualTo(20);
        }
    }

    @Test
    void aSenderAboveItsLimitGets429WithRetryAfterAndOthersAreUnaffected() {
        IngestSettings tight = IngestSettings.defaults().withLimits(1_048_576, 3, 1.0 / 60, 2_000, 500);
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            for (int i = 0; i < 3; i++) {
                assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"m" + i + "\"}")
                        .statusCode()).isEqualTo(200);
            }
            HttpResponse<String> r = h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"m3\"}");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            assertThat(r.body()).contains("RAPIDFIRE_RATE_SENDER_BURST");
            assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"79001112233\", \"message\": \"hi\"}").statusCode())
                    .isEqualTo(200);
            assertThat(h.store.pending(10).stream().mapToLong(p -> p.messages()).sum()).isEqualTo(4);
        }
    }

    /** Typing events count against the sender's limit like messages: a flood of them is refused, not recorded. */
    @Test
    void presenceEventsCountAgainstTheSendersLimit() {
        IngestSettings tight = IngestSettings.defaults().withLimits(1_048_576, 3, 1.0 / 60, 2_000, 500);
        String composing = "{\"event\": \"presence.update\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", "
                + "\"presences\": {\"79001234567@s.whatsapp.net\": {\"lastKnownPresence\": \"composing\"}}}}";
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"hi\"}")
                    .statusCode()).isEqualTo(200);
            long due = h.store.pending(10).get(0).dueAtMs();
            for (int i = 0; i < 2; i++) {
                assertThat(h.post("/webhook/whatsapp/batched", composing).statusCode()).isEqualTo(200);
            }
            long held = h.store.pending(10).get(0).dueAtMs();
            assertThat(held).as("composing holds the batch past its quiet deadline").isNotEqualTo(due);
            HttpResponse<String> r = h.post("/webhook/whatsapp/batched", composing);
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("RAPIDFIRE_RATE_SENDER_BURST");
        }
    }

    @Test
    void anIpAboveItsLimitGets429() {
        IngestSettings tight = IngestSettings.defaults().withLimits(1_048_576, 60, 1.0, 2, 0.01);
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567\", \"message\": \"a\"}");
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234568\", \"message\": \"b\"}");
            HttpResponse<String> r = h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234569\", \"message\": \"c\"}");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("too many requests from 127.0.0.1");
        }
    }
}
