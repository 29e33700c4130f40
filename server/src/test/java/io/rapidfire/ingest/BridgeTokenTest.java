package io.rapidfire.ingest;

import io.rapidfire.http.FailedAttempts;

import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WhatsApp bridge route's token (RAPIDFIRE_BRIDGE_TOKEN, BridgeTokens) for bridges that sign nothing but send
 * headers: Evolution API's webhook {@code headers} (a static bearer) and its {@code jwt_key} (an HS256 JWT with a
 * ten-minute expiry on every request). Over real HTTP; the route is not open, so only the token lets a post in.
 */
@Tag("fast")
class BridgeTokenTest {
    private static final Policy POLICY = new Policy(300, 10_000, 20, 16_384, " ");
    private static final String TOKEN = "evolution-webhook-token-0123456789";
    private static final String PATH = "/webhook/whatsapp/batched";

    private static IngestSettings closedWithToken() {
        return IngestSettings.defaults().withOpenRoutes(java.util.Set.of(), java.util.List.of()).withBridgeToken(TOKEN);
    }

    private static String message(String id, String text) {
        return "{\"event\": \"messages.upsert\", \"instance\": \"salon\", \"data\": {\"key\": {\"remoteJid\": "
                + "\"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": \"" + id + "\"}, \"message\": "
                + "{\"conversation\": \"" + text + "\"}, \"messageTimestamp\": " + System.currentTimeMillis() / 1000 + "}}";
    }

    /** An HS256 JWT as Evolution's jwt_key makes one: {"alg":"HS256","typ":"JWT"}, the claims given. */
    static String jwt(String key, String alg, String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return head + "." + body + "." + b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aStaticBearerTokenLetsTheBridgeInAndNothingElseDoes() {
        try (IngestHarness h = new IngestHarness(closedWithToken(), POLICY, true)) {
            HttpResponse<String> none = h.post(PATH, message("T1", "no token"));
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).contains("Authorization: Bearer <RAPIDFIRE_BRIDGE_TOKEN>");
            HttpResponse<String> wrong = h.post(PATH, message("T2", "wrong token"), "Authorization", "Bearer not-the-token-at-all");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("does not match RAPIDFIRE_BRIDGE_TOKEN");
            HttpResponse<String> right = h.post(PATH, message("T3", "hello"), "Authorization", "Bearer " + TOKEN);
            assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
            assertThat(h.onlyBatch().get("text").asText()).isEqualTo("hello");
        }
    }

    @Test
    void anHs256JwtSignedWithTheTokenLetsTheBridgeInWhileItHasNotExpired() throws Exception {
        try (IngestHarness h = new IngestHarness(closedWithToken(), POLICY, true)) {
            long now = System.currentTimeMillis() / 1000;
            String fresh = jwt(TOKEN, "HS256", "{\"app\":\"evolution\",\"action\":\"webhook\",\"iat\":" + now + ",\"exp\":"
                    + (now + 600) + "}");
            HttpResponse<String> ok = h.post(PATH, message("J1", "signed by jwt"), "Authorization", "Bearer " + fresh);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

            String[][] refused = {
                    {jwt(TOKEN, "HS256", "{\"iat\":" + (now - 1200) + ",\"exp\":" + (now - 600) + "}"), "expired"},
                    {jwt("another-key-0123456789", "HS256", "{\"exp\":" + (now + 600) + "}"), "signature does not match"},
                    {jwt(TOKEN, "none", "{\"exp\":" + (now + 600) + "}"), "alg must be HS256"},
                    {jwt(TOKEN, "HS256", "{\"app\":\"evolution\"}"), "no exp"},
                    {jwt(TOKEN, "HS256", "{\"iat\":" + (now + 3600) + ",\"exp\":" + (now + 4200) + "}"), "in the future"},
                    {"a.b.c", "neither"}};
            for (String[] r : refused) {
                HttpResponse<String> bad = h.post(PATH, message("J2", "refused"), "Authorization", "Bearer " + r[0]);
                assertThat(bad.statusCode()).as(r[1] + ": " + bad.body()).isEqualTo(401);
                assertThat(bad.body()).contains(r[1]);
            }
            assertThat(h.onlyBatch().get("text").asText()).isEqualTo("signed by jwt");
        }
    }

    @Test
    void withBothSetTheBridgeSignatureStillWorksAndTheStartupLogSaysBoth() {
        IngestSettings both = closedWithToken().withSecrets("bridge-secret", "", "", "", "");
        try (IngestHarness h = new IngestHarness(both, POLICY, true)) {
            String body = message("S1", "signed");
            HttpResponse<String> signed = h.post(PATH, body, Signing.bridge("bridge-secret", PATH, body, System.currentTimeMillis()));
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            HttpResponse<String> bearer = h.post(PATH, message("S2", "and a token"), "Authorization", "Bearer " + TOKEN);
            assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
            assertThat(h.post(PATH, message("S3", "neither")).statusCode()).isEqualTo(401);
        }
        assertThat(String.join("\n", both.protection())).contains("with RAPIDFIRE_WEBHOOK_SECRET, or Authorization: "
                + "Bearer RAPIDFIRE_BRIDGE_TOKEN");
        assertThat(String.join("\n", closedWithToken().protection())).contains("token: Authorization: Bearer "
                + "RAPIDFIRE_BRIDGE_TOKEN (or an HS256 JWT signed with it)");
    }

    @Test
    void wrongTokensAreThrottledPerClient() {
        try (IngestHarness h = new IngestHarness(closedWithToken(), POLICY, false)) {
            for (int i = 0; i < FailedAttempts.BURST; i++) {
                assertThat(h.post(PATH, message("W" + i, "x"), "Authorization", "Bearer wrong-" + i).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> right = h.post(PATH, message("W-right", "x"), "Authorization", "Bearer " + TOKEN);
            assertThat(right.statusCode()).isEqualTo(429);
            assertThat(right.body()).contains("signature_rate_limited");
            assertThat(right.headers().firstValue("Retry-After")).isPresent();
        }
    }
}
