package io.rapidfire.ingest;


import io.rapidfire.http.EdgeSettings;

import com.sun.net.httpserver.HttpServer;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.Browser;
import io.rapidfire.testing.IngestHarness;
import io.rapidfire.testing.RawHttp;
import io.rapidfire.testing.RawHttp.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone quick start trusts loopback callers (routes open to them, admin without a token). A page on another
 * site, opened in a browser on the same machine, is such a caller unless the browser's own headers are read: a real
 * headless Chromium opens a page served on another origin that posts to a webhook and to an admin action, and a
 * DNS-rebinding request (loopback address, a foreign Host) is sent by hand. Nothing is stored or changed.
 */
@Tag("processes")
class CrossSiteAndRebindingTest {
    private static final Policy SLOW = new Policy(600_000, 1_200_000, 100, 16_384, " ");

    /** An attacker's page: a text/plain form shaped as JSON to a webhook, a form to an admin action, a no-cors fetch. */
    private static String evilPage(int rf) {
        String target = "http://127.0.0.1:" + rf;
        return """
                <!doctype html><html><head><title>win a prize</title></head><body>
                <iframe name="a"></iframe><iframe name="b"></iframe>
                <form id="hook" method="POST" enctype="text/plain" target="a" action="%1$s/webhook/whatsapp/batched">
                  <input name='{"from": "79005550001@c.us", "message": "evil form", "messageId": "evil-1", "pad": "' value='"}'>
                </form>
                <form id="flush" method="POST" target="b"
                      action="%1$s/admin/conversations/default%%3Awhatsapp%%3A%%2B79001234567/flush"></form>
                <script>
                  document.getElementById('hook').submit();
                  document.getElementById('flush').submit();
                  fetch('%1$s/webhook/whatsapp/batched', {method: 'POST', mode: 'no-cors',
                    body: '{"from": "79005550002@c.us", "message": "evil fetch", "messageId": "evil-2"}'})
                    .finally(() => { document.title = 'sent'; });
                </script></body></html>
                """.formatted(target);
    }

    private static long crossSiteRefusals(IngestHarness h) {
        String line = h.metrics.scrape().lines().filter(l -> l.startsWith("rapidfire_requests_rejected_total{reason=\"cross_site\"}"))
                .findFirst().orElse("x 0");
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void aPageOnAnotherSiteCannotPostToAWebhookOrActOnTheAdminRoutesFromARealBrowser() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"mine\", "
                    + "\"messageId\": \"m-1\"}").statusCode()).isEqualTo(200);
            HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] page = evilPage(h.server().port()).getBytes(StandardCharsets.UTF_8);
            evil.createContext("/", x -> {
                x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                x.sendResponseHeaders(200, page.length);
                x.getResponseBody().write(page);
                x.close();
            });
            evil.start();
            ChromeDriver browser = Browser.open(800, 600);
            try {
                // "localhost" is another site than "127.0.0.1" for the browser (and another origin in any case).
                browser.get("http://localhost:" + evil.getAddress().getPort() + "/prize");
                await().atMost(Duration.ofSeconds(15)).until(() -> crossSiteRefusals(h) >= 3);
            } finally {
                browser.quit();
                evil.stop(0);
            }
            assertThat(crossSiteRefusals(h)).as("the three requests reached the server and were refused").isEqualTo(3);
            assertThat(h.store.pending(10)).as("nothing of the page's was stored, the person's batch not flushed")
                    .singleElement().satisfies(p -> assertThat(p.conversation().key()).isEqualTo("default:whatsapp:+79001234567"));
            assertThat(h.store.counts().inflight()).isZero();
        }
    }

    @Test
    void aRebindingRequestFromLoopbackWithAForeignHostGetsNoLoopbackTrust() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            int port = h.server().port();
            String foreign = "rebind.evil.example:" + port;
            Response policy = RawHttp.send(null, port, "PUT", "/admin/policies/*", "quietMs:86400000,maxWaitMs:86400000",
                    "Host", foreign);
            assertThat(policy.status()).as(policy.body()).isEqualTo(403);
            assertThat(policy.body()).contains("rebind.evil.example").contains("RAPIDFIRE_ALLOWED_HOSTS");
            assertThat(h.store.runtimePolicies()).as("no policy changed").isEmpty();
            assertThat(RawHttp.send(null, port, "GET", "/admin/overview", null, "Host", foreign).status()).isEqualTo(403);
            Response hook = RawHttp.send(null, port, "POST", "/webhook/whatsapp/batched",
                    "{\"from\": \"79005550003@c.us\", \"message\": \"x\", \"messageId\": \"r-1\"}",
                    "Host", foreign, "Content-Type", "application/json");
            assertThat(hook.status()).as(hook.body()).isEqualTo(401);
            assertThat(h.store.counts().pending()).isZero();
            // The same requests naming this server (an IP literal, localhost, or a listed name) keep loopback trust.
            assertThat(RawHttp.send(null, port, "GET", "/admin/overview", null, "Host", "localhost:" + port).status())
                    .isEqualTo(200);
            assertThat(RawHttp.send(null, port, "POST", "/webhook/whatsapp/batched",
                    "{\"from\": \"79005550003@c.us\", \"message\": \"x\", \"messageId\": \"r-1\"}",
                    "Content-Type", "application/json").status()).isEqualTo(200);
        }
        IngestSettings listed = IngestSettings.defaults().withEdge(EdgeSettings.defaults().withAllowedHosts(
                java.util.List.of("rapidfire.internal")));
        try (IngestHarness h = new IngestHarness(listed, SLOW, false)) {
            assertThat(RawHttp.send(null, h.server().port(), "GET", "/admin/overview", null, "Host",
                    "rapidfire.internal:8080").status()).as("a name the operator listed").isEqualTo(200);
        }
    }

    @Test
    void aWriteWithAForeignOriginIsRefusedAndAWebhookMustBeJson() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            int port = h.server().port();
            h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"mine\", \"messageId\": \"m-1\"}");
            Response flush = RawHttp.send(null, port, "POST",
                    "/admin/conversations/default%3Awhatsapp%3A%2B79001234567/flush", "", "Origin", "http://evil.example");
            assertThat(flush.status()).as(flush.body()).isEqualTo(403);
            assertThat(flush.body()).contains("\"reason\":\"cross_site\"").contains("evil.example");
            Response sameOrigin = RawHttp.send(null, port, "POST", "/admin/policies/acme", "", "Origin",
                    "http://127.0.0.1:" + port);
            assertThat(sameOrigin.status()).as("an Origin naming this server passes this check").isNotEqualTo(403);
            Response text = RawHttp.send(null, port, "POST", "/webhook/whatsapp/batched",
                    "{\"from\": \"79005550004@c.us\", \"message\": \"x\", \"messageId\": \"t-1\"}", "Content-Type", "text/plain");
            assertThat(text.status()).as(text.body()).isEqualTo(415);
            assertThat(text.body()).contains("application/json").contains("text/plain");
            Response none = RawHttp.send(null, port, "POST", "/webhook/whatsapp/batched",
                    "{\"from\": \"79005550004@c.us\", \"message\": \"x\", \"messageId\": \"t-2\"}");
            assertThat(none.status()).as(none.body()).isEqualTo(415);
            assertThat(h.store.pending(10)).singleElement()
                    .satisfies(p -> assertThat(p.conversation().key()).isEqualTo("default:whatsapp:+79001234567"));
        }
    }
}
