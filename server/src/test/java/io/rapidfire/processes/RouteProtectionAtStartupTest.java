package io.rapidfire.processes;

import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real process states at startup how each webhook route and the admin routes are protected, and serves them that
 * way: the quick start (standalone, nothing set) opens its routes to loopback callers only; `rapidfire api` serves
 * a route only with its secret or when declared open in RAPIDFIRE_OPEN_ROUTES.
 */
@Tag("processes")
class RouteProtectionAtStartupTest {
    private static final String BODY = "{\"from\":\"79001234567@c.us\",\"message\":\"hi\",\"messageId\":\"m-1\"}";

    @Test
    void theQuickStartSaysItsRoutesAreOpenToLoopbackOnlyAndTakesALocalPost() throws Exception {
        int port = RedisServer.freePort();
        try (RapidfireProcess p = RapidfireProcess.start(Map.of("RAPIDFIRE_PORT", Integer.toString(port)))) {
            p.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
            String out = p.output();
            assertThat(out).contains("Webhook routes and admin, as protected now:")
                    .contains("POST /webhook/whatsapp/batched, POST /webhook/whatsapp")
                    .contains("POST /webhook/whatsapp-cloud").contains("POST /webhook/telegram")
                    .contains("POST /webhook/{channel}").contains("open to loopback callers only")
                    .contains("no token: only from loopback (RAPIDFIRE_ADMIN_TRUSTED)")
                    .doesNotContain("UNSIGNED messages sent by anyone");
            assertThat(post(port, "/webhook/whatsapp/batched", BODY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anApiWithOnlyTheBridgeSecretServesTheBridgeSignedAndClosesTheOtherRoutes() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            int port = RedisServer.freePort();
            try (RapidfireProcess api = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_PORT",
                    Integer.toString(port), "RAPIDFIRE_WEBHOOK_SECRET", "s3cret-bridge"), "api")) {
                api.awaitOutput("Rapidfire api running", Duration.ofSeconds(30));
                assertThat(api.output()).contains("signed: bridge signature (x-signature, x-timestamp) with "
                                + "RAPIDFIRE_WEBHOOK_SECRET")
                        .contains("closed: 401 until RAPIDFIRE_META_APP_SECRET is set or whatsapp-cloud is listed in "
                                + "RAPIDFIRE_OPEN_ROUTES")
                        .contains("closed: 401 until RAPIDFIRE_TELEGRAM_SECRET_TOKEN is set")
                        .doesNotContain("s3cret-bridge");
                HttpResponse<String> tg = post(port, "/webhook/telegram", "{\"update_id\": 1}");
                assertThat(tg.statusCode()).isEqualTo(401);
                assertThat(tg.body()).contains("route_closed").contains("RAPIDFIRE_TELEGRAM_SECRET_TOKEN")
                        .contains("RAPIDFIRE_OPEN_ROUTES=telegram");
                assertThat(post(port, "/webhook/whatsapp/batched", BODY).statusCode()).isEqualTo(401);
            }
        }
    }

    @Test
    void routesDeclaredOpenToAnyoneAreWarnedAboutAndAnUnknownRouteNameStopsTheStart() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            int port = RedisServer.freePort();
            try (RapidfireProcess api = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_PORT",
                    Integer.toString(port), "RAPIDFIRE_OPEN_ROUTES", "telegram,channels"), "api")) {
                api.awaitOutput("Rapidfire api running", Duration.ofSeconds(30));
                assertThat(api.output()).contains("OPEN to anyone who reaches the port (RAPIDFIRE_OPEN_ROUTES lists "
                        + "telegram)").contains("UNSIGNED messages sent by anyone");
                assertThat(post(port, "/webhook/web", "{\"sender\":\"v-1\",\"text\":\"hi\",\"id\":\"w-1\"}").statusCode())
                        .isEqualTo(200);
                assertThat(post(port, "/webhook/whatsapp/batched", BODY).statusCode()).isEqualTo(401);
            }
            try (RapidfireProcess typo = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_PORT",
                    Integer.toString(port), "RAPIDFIRE_OPEN_ROUTES", "whatsap"), "api")) {
                assertThat(typo.awaitExit(Duration.ofSeconds(30))).isNotZero();
                assertThat(typo.output()).contains("RAPIDFIRE_OPEN_ROUTES")
                        .contains("all, none, or a comma list of whatsapp, whatsapp-cloud, telegram, channels");
            }
        }
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
