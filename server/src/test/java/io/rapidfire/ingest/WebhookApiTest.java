package io.rapidfire.ingest;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.ops.MemoryRegistry;
import io.rapidfire.ops.Metrics;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /webhook/whatsapp/batched on a real server (port 0) with a real HTTP client. */
@Tag("redis")
class WebhookApiTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private BatchStore store;
    private WebhookServer server;
    private RedisServer redis;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void serve(BatchStore s) {
        store = s;
        server = new WebhookServer(s, () -> Policies.of(new Policy(60_000, 120_000, 10, 16_384, " ")),
                IngestSettings.defaults(), new Metrics(s), new MemoryRegistry()).start("127.0.0.1", 0);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/webhook/whatsapp/batched")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<ClaimedBatch> flushAndClaim(String phone) {
        store.flush(new io.rapidfire.core.ConversationRef("default", "whatsapp", phone));
        List<ClaimedBatch> out = new ArrayList<>();
        for (int p = 0; p < store.partitions(); p++) {
            out.addAll(store.claim(p, 100, 60_000, "test").batches());
        }
        return out;
    }

    @Test
    void theOriginalShapeIsStoredBeforeTheAnswerAndSendersAreNormalised() throws Exception {
        serve(MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build());
        HttpResponse<String> r = post("{\"from\": \"79001234567@c.us\", \"message\": \"Hi,\", \"messageId\": \"A1\", "
                + "\"timestamp\": 1700000000}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"success\":true", "\"accepted\":1", "\"duplicates\":0");
        assertThat(store.counts().pending()).as("stored when the 200 was sent").isEqualTo(1);

        assertThat(post("{\"from\": \"+7 900 123-45-67\", \"message\": \"book me\"}").statusCode()).isEqualTo(200);
        List<ClaimedBatch> b = flushAndClaim("+79001234567");
        assertThat(b).singleElement().satisfies(x -> {
            assertThat(x.batch().text()).isEqualTo("Hi, book me");
            assertThat(x.batch().messages().get(0).platformTimestampMs()).isEqualTo(1_700_000_000_000L);
        });
    }

    @Test
    void theOriginalBulkShapeStoresEveryMessageUnderItsCompany() throws Exception {
        serve(MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build());
        HttpResponse<String> r = post("{\"companyId\": \"acme\", \"messages\": [{\"from\": \"79001234567@c.us\", "
                + "\"body\": \"one\", \"messageId\": \"x1\"}, {\"from\": \"79001234567@c.us\", \"message\": \"two\", "
                + "\"messageId\": \"x2\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"accepted\":2", "\"conversation\":\"acme:whatsapp:+79001234567\"");
    }

    @Test
    void aPlatformRetryOfTheSameMessageIdIsAnsweredOkAndCountedAsADuplicate() throws Exception {
        serve(MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build());
        String body = "{\"from\": \"79001234567\", \"message\": \"Hi\", \"messageId\": \"wamid.7\"}";
        assertThat(post(body).body()).contains("\"accepted\":1");
        HttpResponse<String> again = post(body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"accepted\":0", "\"duplicates\":1");
        assertThat(flushAndClaim("+79001234567").get(0).batch().size()).isEqualTo(1);
    }

    @Test
    void badInputGetsA400NamingTheProblemAndStoresNothing() throws Exception {
        serve(MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build());
        String[][] cases = {
                {"{\"from\": \"7900\"", "not valid JSON"},
                {"", "body is empty"},
                {"[1,2]", "must be a JSON object"},
                {"{\"message\": \"hi\"}", "'from' is missing"},
                {"{\"from\": \"79001234567\"}", "'message' (or 'body') is missing"},
                {"{\"from\": \"79001234567\", \"message\": 42}", "'message' must be a string"},
                {"{\"from\": \"79001234567\", \"message\": \"x\", \"timestamp\": \"soon\"}", "'timestamp' must be"},
                {"{\"from\": \"\", \"message\": \"x\"}", "'from' is empty"},
                {"{\"from\": \"7900\", \"message\": \"x\", \"companyId\": \"a b\"}", "'companyId' must be"},
                {"{\"messages\": []}", "non-empty array"},
                {"{\"from\": \"79001234567\", \"message\": \"" + "x".repeat(20_000) + "\"}", "maxBytes is 16384"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.body()).as(c[0]).contains("\"success\":false").contains(c[1]);
        }
        assertThat(store.counts().pending()).isZero();
    }

    @Test
    void whenRedisIsDownTheWebhookAnswers503WithRetryAfterAndNeverAcknowledges() throws Exception {
        redis = RedisServer.start();
        serve(RedisBatchStore.builder(redis.url()).clientName("rapidfire:test-api").timeout(Duration.ofMillis(500)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build());
        String body = "{\"from\": \"79001234567\", \"message\": \"Hi\", \"messageId\": \"m1\"}";
        assertThat(post(body).statusCode()).isEqualTo(200);

        redis.close();
        HttpResponse<String> r = post("{\"from\": \"79001234567\", \"message\": \"lost?\", \"messageId\": \"m2\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        // What happened and what to do; which Redis is in the API's log, not in an answer anyone may read.
        assertThat(r.body()).contains("NOT stored").contains("\"reason\":\"unavailable\"").contains("REDIS_URL")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void anUnknownRouteSaysWhichRoutesExist() throws Exception {
        serve(MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/hooks/nope")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("/webhook/whatsapp/batched");
    }
}
