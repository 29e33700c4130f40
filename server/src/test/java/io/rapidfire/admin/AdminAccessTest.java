package io.rapidfire.admin;

import io.rapidfire.ingest.IngestSettings;


import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may use the admin routes (stats, clear, flush, runtime policies): with RAPIDFIRE_ADMIN_TOKEN, whoever sends
 * it exactly (case included); without it, only RAPIDFIRE_ADMIN_TRUSTED addresses (loopback by default). The
 * tests narrow the trusted set, since all their traffic comes from 127.0.0.1. Failed attempts are throttled and
 * counted.
 */
@Tag("fast")
public class AdminAccessTest {
    private static final Policy SLOW = new Policy(60_000, 120_000, 100, 16_384, " ");

    /** Every admin route that acts (changes something or runs the doctor), called with the given headers: 10. */
    public static List<HttpResponse<String>> everyAdminAction(IngestHarness h, String... headers) {
        List<Function<IngestHarness, HttpResponse<String>>> calls = List.of(
                x -> x.get("/webhook/whatsapp/batched/stats", headers),
                x -> x.delete("/webhook/whatsapp/batched/79001234567", headers),
                x -> x.post("/webhook/whatsapp/batched/79001234567/flush", "", headers),
                x -> x.put("/admin/policies/acme", "quietMs:1000", headers),
                x -> x.delete("/admin/policies/acme", headers),
                x -> x.post("/admin/conversations/default%3Awhatsapp%3A%2B79001234567/flush", "", headers),
                x -> x.delete("/admin/conversations/default%3Awhatsapp%3A%2B79001234567", headers),
                x -> x.post("/admin/dead-letters/b-1/replay", "", headers),
                x -> x.delete("/admin/dead-letters/b-1", headers),
                x -> x.post("/admin/doctor", "", headers));
        return calls.stream().map(c -> c.apply(h)).toList();
    }

    /** Every admin route that only reads (the dashboard's views), called with the given headers. */
    public static List<HttpResponse<String>> everyAdminRead(IngestHarness h, String... headers) {
        List<Function<IngestHarness, HttpResponse<String>>> calls = List.of(
                x -> x.get("/admin/policies", headers),
                x -> x.get("/admin/overview", headers),
                x -> x.get("/admin/conversations", headers),
                x -> x.get("/admin/dead-letters", headers),
                x -> x.get("/admin/dead-letters/b-1", headers),
                x -> x.get("/admin/processes", headers));
        return calls.stream().map(c -> c.apply(h)).toList();
    }

    /** Both; at most {@link AdminRoutes#FAILURE_BURST} failures per server are answered before the throttle. */
    public static List<HttpResponse<String>> everyAdminRoute(IngestHarness h, String... headers) {
        List<HttpResponse<String>> all = new java.util.ArrayList<>(everyAdminAction(h, headers));
        all.addAll(everyAdminRead(h, headers));
        return all;
    }

    @Test
    void withoutATokenTheAdminRoutesAnswerLoopbackAndRefuseAnAddressThatIsNotTrusted() {
        try (IngestHarness local = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            // (a flush of nothing answers 404: the route itself let the call in)
            assertThat(everyAdminRoute(local)).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isNotIn(401, 403));
        }
        IngestSettings narrowed = IngestSettings.defaults().withAdminTrusted(List.of("10.9.8.7"));
        try (IngestHarness h = new IngestHarness(narrowed, SLOW, false)) {
            for (HttpResponse<String> r : everyAdminAction(h)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                assertThat(r.body()).contains("closed to 127.0.0.1").contains("RAPIDFIRE_ADMIN_TOKEN")
                        .contains("RAPIDFIRE_ADMIN_TRUSTED (now: 10.9.8.7)");
            }
            assertThat(h.store.runtimePolicies()).as("no policy was changed").doesNotContainKey("acme");
        }
    }

    @Test
    void theAdminTokenIsComparedExactlyCaseIncluded() {
        IngestSettings withToken = IngestSettings.defaults().withSecrets("", "", "", "", "Admin-Secret-1");
        // One process each: 12 failures from one address would be throttled (the next test).
        try (IngestHarness h = new IngestHarness(withToken, SLOW, false)) {
            assertThat(everyAdminAction(h)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(401));
        }
        try (IngestHarness h = new IngestHarness(withToken, SLOW, false)) {
            // Once a token is set it closes reads too, from loopback as from anywhere (a proxy on the same host makes
            // every caller loopback).
            assertThat(everyAdminRead(h)).allSatisfy(r -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
                assertThat(r.body()).contains("Authorization: Bearer <RAPIDFIRE_ADMIN_TOKEN>");
            });
        }
        for (var calls : List.<java.util.function.BiFunction<IngestHarness, String[], List<HttpResponse<String>>>>of(
                AdminAccessTest::everyAdminAction, AdminAccessTest::everyAdminRead)) {
            try (IngestHarness h = new IngestHarness(withToken, SLOW, false)) {
                assertThat(calls.apply(h, new String[]{"Authorization", "Bearer admin-secret-1"}))
                        .allSatisfy(r -> assertThat(r.statusCode()).as("differently cased").isEqualTo(401));
            }
            try (IngestHarness h = new IngestHarness(withToken, SLOW, false)) {
                assertThat(calls.apply(h, new String[]{"Authorization", "Bearer Admin-Secret-1"}))
                        .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isNotIn(401, 403, 429));
            }
        }
    }

    @Test
    void theReadOnlyTokenReadsTheMaskedViewAndNeverActs() {
        IngestSettings tokens = IngestSettings.defaults().withSecrets("", "", "", "", "admin-token-0123456789")
                .withAdminReadToken("read-token-0123456789");
        try (IngestHarness h = new IngestHarness(tokens, SLOW, false)) {
            String[] read = {"Authorization", "Bearer read-token-0123456789"};
            assertThat(everyAdminRead(h, read)).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 404));
            assertThat(h.get("/admin/overview", read).body()).contains("\"numbersShown\":false").contains("\"canAct\":false");
            assertThat(h.get("/webhook/whatsapp/batched/stats", read).body()).contains("\"phonesMasked\":true");
            assertThat(everyAdminAction(h, read).stream().filter(r -> !r.request().method().equals("GET")))
                    .allSatisfy(r -> {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                        assertThat(r.body()).contains("admin_read_only").contains("RAPIDFIRE_ADMIN_TOKEN");
                    });
            assertThat(h.store.runtimePolicies()).doesNotContainKey("acme");
            String[] admin = {"Authorization", "Bearer admin-token-0123456789"};
            assertThat(h.get("/admin/overview", admin).body()).as("the read token's refusals were not failed attempts")
                    .contains("\"numbersShown\":true").contains("\"canAct\":true");
        }
    }

    @Test
    void aRequestWithoutATokenIsNotAFailedAttemptSoAnOpenDashboardTabLocksNobodyOut() {
        IngestSettings withToken = IngestSettings.defaults().withSecrets("", "", "", "", "admin-token-0123456789");
        try (IngestHarness h = new IngestHarness(withToken, SLOW, false)) {
            for (int i = 0; i < 3 * AdminRoutes.FAILURE_BURST; i++) {
                assertThat(h.get("/admin/overview").statusCode()).as("a tab polling before sign-in").isEqualTo(401);
                assertThat(h.get("/admin/overview", "Authorization", "Basic bmdpbng6cHJveHk=").statusCode())
                        .as("a proxy's Basic credentials, resent by the browser").isEqualTo(401);
            }
            HttpResponse<String> signedIn = h.get("/admin/overview", "Authorization", "Bearer admin-token-0123456789");
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
            assertThat(h.get("/metrics").body()).doesNotContain("reason=\"admin_rate_limited\"");
        }
    }

    @Test
    void theTelegramSecretTokenIsComparedExactlyCaseIncluded() {
        IngestSettings tg = IngestSettings.defaults().withSecrets("", "", "", "Tg-Secret", "");
        try (IngestHarness h = new IngestHarness(tg, SLOW, false)) {
            String body = IngestHarness.payload("telegram-text.json");
            assertThat(h.post("/webhook/telegram", body, "X-Telegram-Bot-Api-Secret-Token", "tg-secret").statusCode())
                    .isEqualTo(401);
            assertThat(h.post("/webhook/telegram", body, "X-Telegram-Bot-Api-Secret-Token", "Tg-Secret").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void failedAdminAttemptsAreThrottledPerAddressAndCounted() {
        IngestSettings withToken = IngestSettings.defaults().withSecrets("", "", "", "", "right-token");
        try (IngestHarness h = new IngestHarness(withToken, SLOW, false)) {
            for (int i = 0; i < AdminRoutes.FAILURE_BURST; i++) {
                assertThat(h.get("/webhook/whatsapp/batched/stats", "Authorization", "Bearer guess-" + i).statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> throttled = h.get("/webhook/whatsapp/batched/stats", "Authorization", "Bearer right-token");
            assertThat(throttled.statusCode()).as("even the right token waits once the address is throttled")
                    .isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
            assertThat(throttled.body()).contains("too many failed admin attempts from 127.0.0.1");
            String metrics = h.get("/metrics").body();
            assertThat(metrics).contains("rapidfire_requests_rejected_total{reason=\"admin_unauthorized\"} "
                    + AdminRoutes.FAILURE_BURST + ".0");
            assertThat(metrics).contains("rapidfire_requests_rejected_total{reason=\"admin_rate_limited\"} 1.0");
        }
    }
}
