package io.rapidfire.ingest;

import io.rapidfire.http.EdgeSettings;
import io.rapidfire.http.FailedAttempts;

import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import io.rapidfire.testing.Nginx;
import io.rapidfire.testing.RawHttp;
import io.rapidfire.testing.RawHttp.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rapidfire behind a real nginx on the same host, as docs/security.md sets it up (RAPIDFIRE_TRUSTED_PROXIES=127.0.0.1,
 * nginx appending to X-Forwarded-For). Clients are told apart by the loopback address they send from (127.0.0.2 and
 * 127.0.0.3 are two machines as nginx sees them): per-client limits and throttles hold per client, not for everyone
 * behind the proxy, and a forwarded header from anyone but the proxy is ignored.
 */
@Tag("processes")
class BehindAProxyTest {
    private static final Policy SLOW = new Policy(60_000, 120_000, 100, 16_384, " ");
    private static final String TOKEN = "admin-token-0123456789";
    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";

    private static IngestSettings behindNginx(List<String> proxies) {
        return IngestSettings.defaults().withOpenRoutes(java.util.EnumSet.allOf(io.rapidfire.config.WebhookRoute.class), List.of())
                .withLimits(1_048_576, 60, 1.0, 3, 0.01)
                .withEdge(EdgeSettings.defaults().withProxies(proxies, EdgeSettings.X_FORWARDED_FOR));
    }

    private static Response webhook(String from, int port, int n, String... headers) {
        String body = "{\"from\": \"7900123450" + n + "@c.us\", \"message\": \"hi\", \"messageId\": \"m-" + from + "-" + n + "\"}";
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawHttp.send(from, port, "POST", "/webhook/whatsapp/batched", body, all);
    }

    @Test
    void theIpLimitCountsEachClientBehindTheProxyAndAForwardedHeaderIsBelievedOnlyFromIt() {
        try (IngestHarness h = new IngestHarness(behindNginx(List.of("127.0.0.1")), SLOW, false);
             Nginx nginx = Nginx.proxyTo(h.server().port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(webhook(A, nginx.port, i).status()).as("client A, message " + i).isEqualTo(200);
            }
            Response limited = webhook(A, nginx.port, 3);
            assertThat(limited.status()).as(limited.body()).isEqualTo(429);
            assertThat(limited.body()).contains("too many requests from 127.0.0.2").contains("RAPIDFIRE_RATE_IP_BURST");
            // Before RAPIDFIRE_TRUSTED_PROXIES, every client behind the proxy was 127.0.0.1: one limit for everyone.
            assertThat(webhook(B, nginx.port, 0).status()).as("client B is not client A").isEqualTo(200);
            // A spoofing B through the proxy: nginx appends the address it sees, the rightmost non-proxy one is A's.
            Response spoofed = webhook(A, nginx.port, 4, "X-Forwarded-For", B);
            assertThat(spoofed.status()).as(spoofed.body()).isEqualTo(429);
            assertThat(spoofed.body()).contains("from 127.0.0.2");
            // And straight to Rapidfire from an address that is not a listed proxy: the header is ignored.
            for (int i = 0; i < 3; i++) {
                webhook("127.0.0.4", h.server().port(), 10 + i, "X-Forwarded-For", "203.0.113.50");
            }
            Response direct = webhook("127.0.0.4", h.server().port(), 13, "X-Forwarded-For", "203.0.113.50");
            assertThat(direct.status()).isEqualTo(429);
            assertThat(direct.body()).contains("from 127.0.0.4").doesNotContain("203.0.113.50");
            assertThat(webhook(B, nginx.port, 1).status()).as("B still has its own budget").isEqualTo(200);
        }
    }

    @Test
    void oneClientsWrongTokensNeverRefuseAnotherClientsRightToken() {
        IngestSettings s = behindNginx(List.of("127.0.0.1")).withSecrets("", "", "", "", TOKEN).withLimits(1_048_576, 60, 1.0, 2_000, 500);
        try (IngestHarness h = new IngestHarness(s, SLOW, false);
             Nginx nginx = Nginx.proxyTo(h.server().port())) {
            for (int i = 0; i < FailedAttempts.BURST; i++) {
                assertThat(RawHttp.send(A, nginx.port, "GET", "/admin/overview", null, "Authorization", "Bearer guess-" + i)
                        .status()).isEqualTo(401);
            }
            Response throttled = RawHttp.send(A, nginx.port, "GET", "/admin/overview", null, "Authorization", "Bearer " + TOKEN);
            assertThat(throttled.status()).as("A, even with the right token, waits").isEqualTo(429);
            assertThat(throttled.body()).contains("from 127.0.0.2");
            Response other = RawHttp.send(B, nginx.port, "GET", "/admin/overview", null, "Authorization", "Bearer " + TOKEN);
            assertThat(other.status()).as(other.body()).isEqualTo(200);
            assertThat(other.body()).contains("\"canAct\":true");
        }
    }

    @Test
    void aClientBehindTheProxyIsNeverALoopbackCaller() {
        // 127.0.0.5 stands for a CDN in front of nginx, listed as a proxy too; the client it reports is on the internet.
        IngestSettings s = IngestSettings.defaults()
                .withEdge(EdgeSettings.defaults().withProxies(List.of("127.0.0.1", "127.0.0.5"), EdgeSettings.X_FORWARDED_FOR));
        try (IngestHarness h = new IngestHarness(s, SLOW, false);
             Nginx nginx = Nginx.proxyTo(h.server().port())) {
            Response admin = RawHttp.send("127.0.0.5", nginx.port, "GET", "/admin/overview", null,
                    "X-Forwarded-For", "203.0.113.9");
            assertThat(admin.status()).as(admin.body()).isEqualTo(403);
            assertThat(admin.body()).contains("closed to 203.0.113.9");
            Response hook = webhook("127.0.0.5", nginx.port, 0, "X-Forwarded-For", "203.0.113.9");
            assertThat(hook.status()).as(hook.body()).isEqualTo(401);
            assertThat(hook.body()).contains("came from 203.0.113.9");
            // Nor is a client on this machine once it comes through the proxy: loopback trust is for direct callers.
            Response local = RawHttp.send(A, nginx.port, "GET", "/admin/overview", null);
            assertThat(local.status()).as(local.body()).isEqualTo(403);
            assertThat(local.body()).contains("through a proxy");
            // 127.0.0.1 is the listed proxy, so whatever comes from it counts as proxied; another loopback address
            // calling directly keeps loopback trust.
            assertThat(RawHttp.send(B, h.server().port(), "GET", "/admin/overview", null).status())
                    .as("a direct loopback caller keeps it").isEqualTo(200);
            assertThat(h.store.counts().pending()).isZero();
        }
    }
}
