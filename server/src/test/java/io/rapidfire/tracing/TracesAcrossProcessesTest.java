package io.rapidfire.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.Bullmq;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.OtlpReceiver;
import io.rapidfire.testing.OtlpReceiver.Received;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.trace.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One burst followed from the webhook to the bot across a real {@code api} and {@code worker} process on Redis, the
 * spans exported over OTLP/HTTP to a receiver that decodes them with the OpenTelemetry proto classes.
 */
@Tag("processes")
class TracesAcrossProcessesTest {
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String PHONE = "79001234567";
    private final List<AutoCloseable> open = new ArrayList<>();
    private RedisServer redis;
    private OtlpReceiver otlp;
    private int port;

    @AfterEach
    void stop() {
        RapidfireProcess.closeAll(open);
        if (otlp != null) {
            otlp.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Map<String, String> env(Map<String, String> more) throws Exception {
        redis = RedisServer.start();
        otlp = new OtlpReceiver();
        port = RedisServer.freePort();
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_QUIET_MS", "1000",
                "RAPIDFIRE_PORT", Integer.toString(port), "RAPIDFIRE_OPEN_ROUTES", "all",
                "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "100",
                "RAPIDFIRE_LOG_FORMAT", "json", "RAPIDFIRE_RETRY_BASE_MS", "200"));
        env.putAll(more);
        return env;
    }

    private void startApiAndWorker(Map<String, String> env) {
        RapidfireProcess api = RapidfireProcess.start(env, "api");
        open.add(api);
        RapidfireProcess worker = RapidfireProcess.start(env, "worker");
        open.add(worker);
        api.awaitOutput("Rapidfire api running", Duration.ofSeconds(60));
        worker.awaitOutput("Rapidfire worker running", Duration.ofSeconds(60));
    }

    private void sendBurst(String... parts) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < parts.length; i++) {
            String body = "{\"from\": \"" + PHONE + "@c.us\", \"message\": \"" + parts[i] + "\", \"messageId\": \"wamid."
                    + i + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/webhook/whatsapp/batched"))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private List<Received> named(String trace, String name) {
        return otlp.spans().stream().filter(s -> s.traceId().equals(trace) && s.name().equals(name)).toList();
    }

    @Test
    void aBurstOfThreeIsOneBatchSpanLinkedToEachMessageAndTheBotContinuesTheDeliverySpan() throws Exception {
        try (HttpReceiver bot = new HttpReceiver(r -> HttpReceiver.Answer.status(200))) {
            startApiAndWorker(env(Map.of("RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL", bot.url())));
            sendBurst("Hi,", "book me", "for a haircut");
            await().atMost(Duration.ofSeconds(20)).until(() -> bot.requests().size() == 1);
            HttpReceiver.Request delivered = bot.requests().get(0);
            String batchId = MessageCodec.JSON.readTree(delivered.body()).get("batchId").asText();
            String batchTrace = Tracing.batchTraceId(batchId);
            await().atMost(Duration.ofSeconds(20)).until(() -> named(batchTrace, "ack").size() == 1
                    && named(CALLER_TRACE, "append whatsapp").size() == 3);

            List<Received> requests = named(CALLER_TRACE, "POST /webhook/whatsapp/batched");
            assertThat(requests).as(otlp.tree(CALLER_TRACE)).hasSize(3)
                    .allSatisfy(r -> {
                        assertThat(r.parentId()).isEqualTo(CALLER_SPAN);
                        assertThat(r.kind()).isEqualTo("SPAN_KIND_SERVER");
                        assertThat(r.service()).isEqualTo("rapidfire-api");
                        assertThat(r.attr("http.response.status_code")).isEqualTo("200");
                    });
            List<Received> appends = named(CALLER_TRACE, "append whatsapp");
            assertThat(appends).allSatisfy(a -> assertThat(requests).extracting(Received::spanId).contains(a.parentId()));

            Received process = named(batchTrace, "process whatsapp").get(0);
            assertThat(process.service()).isEqualTo("rapidfire-worker");
            assertThat(process.parentId()).as("the batch span is its trace's root").isEmpty();
            assertThat(process.links()).as(otlp.tree(batchTrace)).containsExactlyInAnyOrderElementsOf(
                    appends.stream().map(a -> a.traceId() + "/" + a.spanId()).toList());
            assertThat(process.attr("messaging.batch.message_count")).isEqualTo("3");
            assertThat(process.attr("rapidfire.release.reason")).isEqualTo("quiet");
            assertThat(process.attr("rapidfire.release.lateness_ms")).isNotNull();

            Received deliver = named(batchTrace, "deliver http").get(0);
            assertThat(deliver.parentId()).isEqualTo(process.spanId());
            assertThat(deliver.attr("rapidfire.delivery.outcome")).isEqualTo("ack");
            assertThat(delivered.header("traceparent")).as("the bot continues the delivery span")
                    .startsWith("00-" + batchTrace + "-" + deliver.spanId() + "-");
            assertThat(named(batchTrace, "ack").get(0).parentId()).isEqualTo(deliver.spanId());

            for (Received s : otlp.spans()) {
                assertThat(s.attributes().values()).as("no raw number or text in " + s)
                        .noneMatch(v -> v.contains(PHONE) || v.contains("book me") || v.contains("haircut"));
            }
            RapidfireProcess worker = (RapidfireProcess) open.get(1);
            assertThat(worker.lines()).as("the worker's JSON log line of the delivery carries its trace")
                    .anyMatch(l -> l.contains("delivered batchId=" + batchId) && l.contains("\"trace_id\":\"" + batchTrace + "\""));
            System.out.println("The span tree of one burst (caller's trace, then the batch's):\n"
                    + otlp.tree(CALLER_TRACE) + otlp.tree(batchTrace));
        }
    }

    @Test
    void aDeliveryRetriedOnceShowsTwoAttemptSpansUnderTheOneBatchSpan() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // The first answer is a 503 that echoes the person's words, as bots do: the cause names the status, not them.
        try (HttpReceiver bot = new HttpReceiver(r -> calls.incrementAndGet() == 1
                ? new HttpReceiver.Answer(503, Map.of(), 0, "{\"echo\": \"one thought\"}") : HttpReceiver.Answer.status(200))) {
            startApiAndWorker(env(Map.of("RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL", bot.url())));
            sendBurst("one thought");
            await().atMost(Duration.ofSeconds(30)).until(() -> bot.requests().size() == 2);
            String batchId = MessageCodec.JSON.readTree(bot.requests().get(1).body()).get("batchId").asText();
            String batchTrace = Tracing.batchTraceId(batchId);
            await().atMost(Duration.ofSeconds(20)).until(() -> named(batchTrace, "deliver http").size() == 2
                    && named(batchTrace, "ack").size() == 1);
            Received process = named(batchTrace, "process whatsapp").get(0);
            List<Received> attempts = named(batchTrace, "deliver http");
            assertThat(attempts).as(otlp.tree(batchTrace)).allSatisfy(a -> assertThat(a.parentId()).isEqualTo(process.spanId()));
            assertThat(attempts).extracting(a -> a.attr("rapidfire.delivery.attempt") + ":" + a.attr("rapidfire.delivery.outcome")
                    + ":" + a.status()).containsExactlyInAnyOrder("1:retry:STATUS_CODE_ERROR", "2:ack:STATUS_CODE_UNSET");
            assertThat(named(batchTrace, "retry")).hasSize(1);
            assertThat(attempts).filteredOn(a -> "retry".equals(a.attr("rapidfire.delivery.outcome"))).singleElement()
                    .satisfies(a -> assertThat(a.attr("rapidfire.delivery.cause")).contains("HTTP 503")
                            .contains("[the bot's answer hidden]"));
            assertThat(otlp.spans()).allSatisfy(s -> assertThat(s.attributes().values()).as(s.toString())
                    .noneMatch(v -> v.contains("one thought") || v.contains(PHONE)));
            assertThat(bot.requests()).extracting(r -> r.header("traceparent").substring(3, 35)).containsOnly(batchTrace);
        }
    }

    @Test
    void anExporterThatCannotReachItsEndpointSaysSoInTheProcesssOwnLog() throws Exception {
        int closed = RedisServer.freePort(); // nothing listens there
        port = RedisServer.freePort();
        RapidfireProcess p = RapidfireProcess.start(Map.of("RAPIDFIRE_PORT", Integer.toString(port),
                "RAPIDFIRE_OPEN_ROUTES", "all", "RAPIDFIRE_QUIET_MS", "300",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closed, "OTEL_BSP_SCHEDULE_DELAY", "100"));
        open.add(p);
        p.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(60));
        sendBurst("hello");
        p.awaitOutput("Failed to export", Duration.ofSeconds(60));
        assertThat(p.lines()).as("one line in the process's own format, naming the endpoint")
                .anyMatch(l -> l.contains("Failed to export") && l.contains("spans") && l.contains("127.0.0.1:" + closed)
                        && l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) .*"));
    }

    @Test
    void aStockBullmqWorkerWithBullmqOtelContinuesRapidfiresDeliverySpan() throws Exception {
        Map<String, String> env = env(Map.of("RAPIDFIRE_SINK", "bullmq"));
        startApiAndWorker(env);
        try (Bullmq.WorkerProcess ai = Bullmq.worker(redis.port(), "bull", "company-default-messages", "otel")) {
            sendBurst("Hi,", "is it open");
            JsonNode spans = ai.awaitEvent(e -> e.path("event").asText().equals("spans"), Duration.ofSeconds(30));
            String batchId = spans.get("id").asText();
            String batchTrace = Tracing.batchTraceId(batchId);
            await().atMost(Duration.ofSeconds(20)).until(() -> named(batchTrace, "deliver bullmq").size() == 1);
            Received deliver = named(batchTrace, "deliver bullmq").get(0);
            JsonNode processing = null;
            for (JsonNode s : spans.get("spans")) {
                if (s.get("name").asText().startsWith("process")) {
                    processing = s;
                }
            }
            assertThat(processing).as("BullMQ's processing span: " + spans).isNotNull();
            assertThat(processing.get("traceId").asText()).isEqualTo(batchTrace);
            assertThat(processing.get("parentSpanId").asText()).as("its parent is Rapidfire's delivery span")
                    .isEqualTo(deliver.spanId());
        }
    }
}
