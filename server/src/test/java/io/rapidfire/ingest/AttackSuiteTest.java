package io.rapidfire.ingest;

import io.rapidfire.admin.AdminAccessTest;

import io.rapidfire.http.FailedAttempts;

import io.rapidfire.config.WebhookRoute;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Policy;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.IngestHarness;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.rapidfire.testing.IngestHarness.payload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service read as an attacker would, over real HTTP on a real Redis: every webhook route under every
 * combination of secrets, unsigned and forged; routes declared open, to anyone or to a narrowed set of callers;
 * every admin route without, with a wrong and with a differently-cased token, from a trusted and an untrusted
 * address (the tests narrow the trusted set: all traffic stays on 127.0.0.1); signed requests replayed under
 * another tenant; what a refused request's answer reveals. docs/security.md lists each guarantee with its test.
 */
@Tag("redis")
class AttackSuiteTest {
    private static final Policy SLOW = new Policy(60_000, 120_000, 100, 16_384, " ");
    private static final String BRIDGE = "bridge-secret";
    private static final String META = "meta-secret";
    private static final String TELEGRAM = "tg-secret";

    private static BatchStore redisStore() {
        return RedisBatchStore.builder(SharedRedis.url()).clientName("rapidfire:attack-suite")
                .timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(4)
                .dedupWindow(Duration.ofMinutes(10)).build();
    }

    private static IngestHarness harness(IngestSettings s) {
        return new IngestHarness(redisStore(), s, SLOW, false);
    }

    /** As `rapidfire api` starts with nothing declared open; WAHA's key and Chatwoot's secret go with the bridge secret (bit 0). */
    private static IngestSettings api(String bridge, String meta, String telegram) {
        return IngestSettings.defaults().withSecrets(bridge, meta, "verify-me", telegram, "")
                .withRouteSecret(WebhookRoute.WAHA, bridge).withRouteSecret(WebhookRoute.CHATWOOT, bridge).withOpenRoutes(Set.of(), List.of());
    }

    /** A route, a body it accepts (platform timestamps of now), and how its platform signs it. */
    private record Route(String path, WebhookRoute named, String body) {
        String[] signed(String secret) {
            return switch (named) {
                case WHATSAPP_CLOUD -> Signing.meta(secret, body);
                case TELEGRAM -> new String[]{"X-Telegram-Bot-Api-Secret-Token", secret};
                case WAHA -> Signing.waha(secret, body);
                case CHATWOOT -> Signing.chatwoot(secret, body, System.currentTimeMillis());
                default -> Signing.bridge(secret, path, body, System.currentTimeMillis());
            };
        }

        String secretOf(IngestSettings s) {
            return s.secretOf(named);
        }
    }

    private static String now(String body) {
        String seconds = Long.toString(System.currentTimeMillis() / 1000);
        return body.replaceAll("\"timestamp\": \"\\d+\"", "\"timestamp\": \"" + seconds + "\"")
                .replaceAll("\"date\": \\d+", "\"date\": " + seconds)
                .replaceAll("\"timestamp\": \\d+", "\"timestamp\": " + seconds);
    }

    private static List<Route> routes() {
        return List.of(
                new Route("/webhook/whatsapp/batched", WebhookRoute.WHATSAPP, now(payload("original-1.json"))),
                new Route("/webhook/whatsapp", WebhookRoute.WHATSAPP, now(payload("original-2.json"))),
                new Route("/webhook/whatsapp/batched/messages-upsert", WebhookRoute.WHATSAPP, now(payload("original-1.json").replace("3EB0A1B2C3D4E5F60001", "3EB0A1B2C3D4E5F6EV01"))),
                new Route("/webhook/whatsapp-cloud", WebhookRoute.WHATSAPP_CLOUD, now(payload("cloud-text.json"))),
                new Route("/webhook/telegram", WebhookRoute.TELEGRAM, now(payload("telegram-text.json"))),
                new Route("/webhook/web", WebhookRoute.CHANNELS, now(payload("generic-1.json"))),
                new Route("/webhook/waha", WebhookRoute.WAHA, "{\"event\": \"message\", \"session\": \"default\", "
                        + "\"payload\": {\"id\": \"false_79005550909@c.us_3EB0W1\", \"from\": \"79005550909@c.us\", "
                        + "\"body\": \"hi\", \"timestamp\": " + System.currentTimeMillis() / 1000 + "}}"),
                new Route("/webhook/chatwoot", WebhookRoute.CHATWOOT, "{\"event\": \"message_created\", \"id\": 9001, "
                        + "\"content\": \"hi\", \"message_type\": \"incoming\", \"conversation\": {\"id\": 5}, "
                        + "\"account\": {\"id\": 1}}"));
    }

    /** Bit 0: bridge secret, bit 1: Meta app secret, bit 2: Telegram secret token. */
    @ParameterizedTest(name = "secrets {0} (bit 0 bridge, 1 Meta, 2 Telegram)")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void unsignedAndForgedPostsAreRefusedOnEveryRouteUnderEveryCombinationOfSecrets(int secrets) {
        IngestSettings s = api((secrets & 1) != 0 ? BRIDGE : "", (secrets & 2) != 0 ? META : "",
                (secrets & 4) != 0 ? TELEGRAM : "");
        try (IngestHarness h = harness(s)) {
            int stored = 0;
            for (Route r : routes()) {
                HttpResponse<String> unsigned = h.post(r.path(), r.body());
                assertThat(unsigned.statusCode()).as(r.path() + " unsigned: " + unsigned.body()).isEqualTo(401);
                HttpResponse<String> forged = h.post(r.path(), r.body(), r.signed("a-guessed-secret"));
                assertThat(forged.statusCode()).as(r.path() + " forged: " + forged.body()).isEqualTo(401);
                if (r.secretOf(s).isEmpty()) {
                    // Neither signed nor declared open: the answer says which of the two to set.
                    assertThat(unsigned.body()).contains("\"reason\":\"route_closed\"").contains(r.named().secretSetting)
                            .contains("RAPIDFIRE_OPEN_ROUTES=" + r.named().label).contains("nothing stored");
                } else {
                    assertThat(unsigned.body()).contains("\"reason\":\"signature\"");
                    HttpResponse<String> good = h.post(r.path(), r.body(), r.signed(r.secretOf(s)));
                    assertThat(good.statusCode()).as(r.path() + " signed: " + good.body()).isEqualTo(200);
                    assertThat(good.body()).contains("\"accepted\":1");
                    stored++;
                }
            }
            // (messages, not batches: the passthrough route releases the same sender's open batch with its message)
            assertThat(h.store.pending(100).stream().mapToLong(p -> p.messages()).sum())
                    .as("only signed requests stored anything").isEqualTo(stored);
        }
    }

    @Test
    void aRouteDeclaredOpenTakesUnsignedPostsAndTheOthersStayClosed() {
        IngestSettings s = api("", "", "").withOpenRoutes(EnumSet.of(WebhookRoute.TELEGRAM), List.of());
        try (IngestHarness h = harness(s)) {
            for (Route r : routes()) {
                int expected = r.named() == WebhookRoute.TELEGRAM ? 200 : 401;
                HttpResponse<String> a = h.post(r.path(), r.body());
                assertThat(a.statusCode()).as(r.path() + ": " + a.body()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSecretWinsOverAnOpenDeclaration() {
        IngestSettings s = api(BRIDGE, META, TELEGRAM).withOpenRoutes(EnumSet.allOf(WebhookRoute.class), List.of());
        try (IngestHarness h = harness(s)) {
            for (Route r : routes()) {
                assertThat(h.post(r.path(), r.body()).statusCode()).as(r.path()).isEqualTo(401);
            }
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void theStandaloneDefaultOpensRoutesToLoopbackCallersOnly() {
        try (IngestHarness h = harness(IngestSettings.defaults())) {
            for (Route r : routes()) {
                assertThat(h.post(r.path(), r.body()).statusCode()).as(r.path() + " from loopback").isEqualTo(200);
            }
        }
        // The same declaration narrowed to another caller: 127.0.0.1 is now an outsider.
        IngestSettings narrowed = IngestSettings.defaults().withOpenRoutes(EnumSet.allOf(WebhookRoute.class),
                List.of("10.9.8.7"));
        try (IngestHarness h = harness(narrowed)) {
            for (Route r : routes()) {
                HttpResponse<String> a = h.post(r.path(), r.body());
                assertThat(a.statusCode()).as(r.path()).isEqualTo(401);
                assertThat(a.body()).contains("open to 10.9.8.7 callers only").contains("came from 127.0.0.1")
                        .contains(r.named().secretSetting);
            }
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void everyAdminRouteNeedsTheExactTokenFromAnyAddressOnceOneIsSet() {
        String token = "Admin-Token-7";
        for (List<String> trusted : List.of(List.of("loopback"), List.of("10.9.8.7"))) {
            IngestSettings s = api("", "", "").withSecrets("", "", "", "", token).withAdminTrusted(trusted);
            // One server per attempt kind and route kind: each stays under the failed-attempt throttle.
            for (String[] headers : List.of(new String[0], new String[]{"Authorization", "Bearer wrong"},
                    new String[]{"Authorization", "Bearer " + token.toLowerCase()},
                    new String[]{"Authorization", "Bearer " + token.toUpperCase()},
                    new String[]{"Authorization", token})) {
                String as = "trusted " + trusted + ", " + String.join(" ", headers);
                try (IngestHarness h = harness(s)) {
                    assertThat(AdminAccessTest.everyAdminAction(h, headers)).as(as)
                            .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(401));
                    assertThat(h.store.runtimePolicies()).doesNotContainKey("acme");
                }
                try (IngestHarness h = harness(s)) {
                    // Reading too: once a token is set, a trusted address without it is refused like any other.
                    assertThat(AdminAccessTest.everyAdminRead(h, headers)).as(as).allSatisfy(r -> assertThat(
                            r.statusCode()).as(r.body()).isEqualTo(401));
                }
            }
            try (IngestHarness h = harness(s)) {
                assertThat(AdminAccessTest.everyAdminRoute(h, "Authorization", "Bearer " + token)).as("trusted " + trusted)
                        .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isNotIn(401, 403, 429));
            }
        }
    }

    @Test
    void withoutATokenOnlyTrustedAddressesUseTheAdminRoutesWhateverTheySend() {
        for (String[] headers : List.of(new String[0], new String[]{"Authorization", "Bearer anything"})) {
            for (var calls : List.<java.util.function.BiFunction<IngestHarness, String[], List<HttpResponse<String>>>>of(
                    AdminAccessTest::everyAdminAction, AdminAccessTest::everyAdminRead)) {
                try (IngestHarness h = harness(api("", "", "").withAdminTrusted(List.of("10.9.8.7")))) {
                    assertThat(calls.apply(h, headers)).allSatisfy(r -> {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                        assertThat(r.body()).contains("closed to 127.0.0.1");
                    });
                    assertThat(h.store.runtimePolicies()).doesNotContainKey("acme");
                }
            }
            try (IngestHarness h = harness(api("", "", "").withAdminTrusted(List.of("loopback")))) {
                assertThat(AdminAccessTest.everyAdminRoute(h, headers)).allSatisfy(r -> assertThat(r.statusCode()).as(r.body())
                        .isNotIn(401, 403, 429));
            }
        }
    }

    @Test
    void wrongTelegramTokensAreThrottledPerAddressLikeAdminTokens() {
        try (IngestHarness h = harness(api("", "", TELEGRAM))) {
            String body = now(payload("telegram-text.json"));
            for (int i = 0; i < FailedAttempts.BURST; i++) {
                assertThat(h.post("/webhook/telegram", body, "X-Telegram-Bot-Api-Secret-Token", "guess-" + i)
                        .statusCode()).isEqualTo(401);
            }
            HttpResponse<String> right = h.post("/webhook/telegram", body, "X-Telegram-Bot-Api-Secret-Token", TELEGRAM);
            assertThat(right.statusCode()).as("throttled before the token is compared").isEqualTo(429);
            assertThat(right.headers().firstValue("Retry-After")).isPresent();
            assertThat(right.body()).contains("signature_rate_limited");
            assertThat(h.metrics.scrape()).contains("rapidfire_requests_rejected_total{reason=\"signature_rate_limited\"} 1.0");
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void aSignedBridgeRequestCannotBeMovedToAnotherTenantByItsQuery() {
        try (IngestHarness h = harness(api(BRIDGE, "", ""))) {
            String body = now(payload("original-1.json"));
            String[] sig = Signing.bridge(BRIDGE, "/webhook/whatsapp/batched?tenant=acme", body, System.currentTimeMillis());
            HttpResponse<String> moved = h.post("/webhook/whatsapp/batched?tenant=evil", body, sig);
            assertThat(moved.statusCode()).isEqualTo(401);
            assertThat(moved.body()).contains("does not match").contains("query string");
            HttpResponse<String> pathOnly = h.post("/webhook/whatsapp/batched?tenant=acme", body,
                    Signing.bridge(BRIDGE, "/webhook/whatsapp/batched", body, System.currentTimeMillis()));
            assertThat(pathOnly.statusCode()).as("a signature that leaves the query out").isEqualTo(401);
            HttpResponse<String> ok = h.post("/webhook/whatsapp/batched?tenant=acme", body, sig);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"conversation\":\"acme:whatsapp:");
            assertThat(h.store.counts().pending()).isEqualTo(1);
        }
    }

    @Test
    void aMetaSignedBodyReplayedForAnotherTenantIsRefusedAndMetasOwnRetryIsADuplicate() {
        try (IngestHarness h = harness(api("", META, ""))) {
            String body = now(payload("cloud-text.json"));
            String[] sig = Signing.meta(META, body);
            assertThat(h.post("/webhook/whatsapp-cloud?tenant=acme", body, sig).body()).contains("\"accepted\":1");
            HttpResponse<String> replayed = h.post("/webhook/whatsapp-cloud?tenant=evil", body, sig);
            assertThat(replayed.statusCode()).isEqualTo(401);
            assertThat(replayed.body()).contains("already delivered for another tenant");
            HttpResponse<String> retry = h.post("/webhook/whatsapp-cloud?tenant=acme", body, sig);
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(retry.body()).contains("\"accepted\":0").contains("\"duplicates\":1");
            assertThat(h.store.counts().pending()).isEqualTo(1);
        }
    }

    @Test
    void aSignedMessageOlderThanTheDedupWindowIsIgnoredNotBatchedAgain() {
        // Signed with the right secret, but from a day ago: the store no longer remembers its id (10 min here).
        IngestSettings s = api("", META, TELEGRAM);
        try (IngestHarness h = harness(s)) {
            String cloud = payload("cloud-text.json"); // timestamp 2025-11-28
            HttpResponse<String> c = h.post("/webhook/whatsapp-cloud", cloud, Signing.meta(META, cloud));
            assertThat(c.statusCode()).isEqualTo(200);
            assertThat(c.body()).contains("\"accepted\":0").contains("older than RAPIDFIRE_DEDUP_WINDOW_MS");
            String tg = payload("telegram-text.json");
            HttpResponse<String> t = h.post("/webhook/telegram", tg, "X-Telegram-Bot-Api-Secret-Token", TELEGRAM);
            assertThat(t.body()).contains("\"accepted\":0").contains("older than RAPIDFIRE_DEDUP_WINDOW_MS");
            assertThat(h.store.counts().pending()).isZero();
        }
    }

    @Test
    void aSignedRequestRefusedWith429IsStoredOnceWhenRetriedByteForByte() {
        IngestSettings s = api(BRIDGE, "", "").withLimits(1_048_576, 1, 5.0, 2_000, 500);
        try (IngestHarness h = harness(s)) {
            String first = now("{\"from\": \"79001234567@c.us\", \"message\": \"one\", \"messageId\": \"m-1\"}");
            String second = now("{\"from\": \"79001234567@c.us\", \"message\": \"two\", \"messageId\": \"m-2\"}");
            String path = "/webhook/whatsapp/batched";
            assertThat(h.post(path, first, Signing.bridge(BRIDGE, path, first, System.currentTimeMillis())).statusCode())
                    .isEqualTo(200);
            String[] sig = Signing.bridge(BRIDGE, path, second, System.currentTimeMillis());
            HttpResponse<String> limited = h.post(path, second, sig);
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
            // The sender's bucket refills at 5 per second: the platform's retry, the same bytes, gets through.
            java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> retry = new java.util.concurrent.atomic.AtomicReference<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        retry.set(h.post(path, second, sig));
                        return retry.get().statusCode() != 429;
                    });
            HttpResponse<String> retried = retry.get();
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(retried.body()).contains("\"accepted\":1");
            assertThat(h.post(path, second, sig).body()).as("and only once").contains("already used");
            assertThat(h.store.counts().pending()).isEqualTo(1);
        }
    }

    @Test
    void refusalsAndReadinessNameNoHostAndNoExceptionText() {
        RedisServer own = RedisServer.start();
        String port = Integer.toString(own.port());
        BatchStore store = RedisBatchStore.builder(own.url()).clientName("rapidfire:attack-suite")
                .timeout(Duration.ofMillis(500)).namespace("attack").partitions(2).build();
        try (IngestHarness h = new IngestHarness(store, IngestSettings.defaults(), SLOW, false)) {
            own.close();
            List<HttpResponse<String>> answers = new ArrayList<>();
            answers.add(h.post("/webhook/whatsapp/batched", now(payload("original-1.json"))));
            answers.add(h.get("/health/ready"));
            answers.add(h.get("/health"));
            for (HttpResponse<String> a : answers) {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(503);
                assertThat(a.body()).as("the answer names the fault").containsAnyOf("unavailable", "store_timeout")
                        .doesNotContain("127.0.0.1").doesNotContain(":" + port).doesNotContain("Exception")
                        .doesNotContain("io.lettuce").doesNotContain("redis://");
            }
        } finally {
            own.close();
        }
    }
}
