package io.rapidfire.ingest;

import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The masked view is masked: on every admin front end that shows it (stats, /admin/*), no message text, numbers
 * masked whatever their punctuation, senders masked on every channel (an e-mail address on a web channel too). The
 * same data with the admin token is shown whole, so each check could fail. Also the headers that keep admin data out
 * of caches and the dashboard out of other sites' frames.
 */
@Tag("fast")
class MaskedViewsTest {
    private static final Policy QUICK = new Policy(200, 30_000, 10, 16_384, " ");
    private static final String TOKEN = "admin-token-0123456789";
    private static final String EMAIL = "ivan.petrov@example.com";
    private static final String WORDS = "my number is +7 916 123-45-67, call me after six";

    /** A dead letter (the bot answers 500 three times) from an e-mail sender, and an open conversation from another. */
    private static String prepare(IngestHarness h) {
        h.botStatus.set(500);
        assertThat(h.post("/webhook/web", "{\"sender\": \"" + EMAIL + "\", \"id\": \"w-1\", \"text\": \"" + WORDS + "\"}")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> h.store.counts().deadLetters() == 1);
        assertThat(h.post("/webhook/web", "{\"sender\": \"olga.s@example.org\", \"id\": \"w-2\", \"text\": \"hello\"}")
                .statusCode()).isEqualTo(200);
        return h.store.deadLetters(1).get(0).batchId();
    }

    private static List<HttpResponse<String>> everyView(IngestHarness h, String batchId, String... headers) {
        List<HttpResponse<String>> out = new ArrayList<>();
        out.add(h.get("/admin/dead-letters", headers));
        out.add(h.get("/admin/dead-letters/" + URLEncoder.encode(batchId, StandardCharsets.UTF_8), headers));
        out.add(h.get("/admin/conversations", headers));
        out.add(h.get("/webhook/whatsapp/batched/stats", headers));
        out.forEach(r -> assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200));
        return out;
    }

    @Test
    void theMaskedViewShowsNoTextNoNumberAndNoSenderOnAnyChannel() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), QUICK, true)) {
            String id = prepare(h);
            for (HttpResponse<String> r : everyView(h, id)) {
                assertThat(r.body()).as(r.uri().getPath()).doesNotContain(EMAIL).doesNotContain("ivan.petrov")
                        .doesNotContain("olga.s@").doesNotContain("123-45-67").doesNotContain("916 123")
                        .doesNotContain("call me").doesNotContain("hello");
            }
            String letter = h.get("/admin/dead-letters/" + URLEncoder.encode(id, StandardCharsets.UTF_8)).body();
            assertThat(letter).contains("characters hidden").contains("\\\"batchId\\\"").contains("default:web:");
        }
    }

    @Test
    void theAdminTokenSeesEverythingTheMaskedViewHides() {
        IngestSettings s = IngestSettings.defaults().withSecrets("", "", "", "", TOKEN);
        try (IngestHarness h = new IngestHarness(s, QUICK, true)) {
            String id = prepare(h);
            List<HttpResponse<String>> views = everyView(h, id, "Authorization", "Bearer " + TOKEN);
            assertThat(views.get(0).body()).contains(EMAIL).contains("123-45-67");
            assertThat(views.get(1).body()).contains(EMAIL).contains("call me after six");
            assertThat(views.get(2).body()).contains("olga.s@example.org");
        }
    }

    @Test
    void adminAnswersAreNeverCachedAndTheDashboardIsNeverFramed() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), QUICK, false)) {
            for (String path : List.of("/admin/overview", "/admin/conversations", "/webhook/whatsapp/batched/stats")) {
                assertThat(h.get(path).headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            }
            for (String path : List.of("/ui", "/ui/app.js")) {
                HttpResponse<String> page = h.get(path);
                assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).get().asString()
                        .contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
                assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            }
        }
    }
}
