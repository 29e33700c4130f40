package io.rapidfire.tracing;

import io.rapidfire.config.OtelSettings;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.CommitLinks;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.ingest.WebhookServer;
import io.rapidfire.ops.MemoryRegistry;
import io.rapidfire.ops.Metrics;
import io.rapidfire.ops.Traces;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.OtlpReceiver;
import io.rapidfire.testing.OtlpReceiver.Received;
import io.rapidfire.trace.Tracing;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing on and off in one process (memory store, a webhook server and a worker on real sockets): what is built,
 * what the bot receives, the commit's span, and the exemplars of /metrics.
 */
@Tag("fast")
class TracesInOneProcessTest {
    private static final String SECRET = "s1nk-secret-for-traces";
    private static final Policy SUPERSEDE = new Policy(200, 20_000, 10, 16_384, " ").withSupersede(true);
    private final HttpClient http = HttpClient.newHttpClient();
    private BatchStore store;
    private WebhookServer server;
    private Worker worker;
    private HttpReceiver bot;
    private Traces traces;
    private OtlpReceiver otlp;

    private void start(Map<String, String> otel, HttpReceiver botAnswering) throws Exception {
        start(otel, botAnswering, IngestSettings.defaults());
    }

    private void start(Map<String, String> otel, HttpReceiver botAnswering, IngestSettings settings) throws Exception {
        traces = Traces.start(OtelSettings.of(otel), "standalone");
        store = MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
        Metrics metrics = new Metrics(store, traces.tracing().on());
        server = new WebhookServer(store, () -> Policies.of(SUPERSEDE), settings, metrics,
                new MemoryRegistry()).commits(SECRET, 1_000).tracing(traces.tracing()).start("127.0.0.1", 0);
        bot = botAnswering;
        worker = new Worker(store, new HttpSink(URI.create(bot.url()), SECRET, Duration.ofSeconds(1),
                Duration.ofSeconds(10), new CommitLinks(() -> "http://127.0.0.1:" + server.port(), store)),
                WorkerSettings.builder("w").concurrency(4).lease(Duration.ofSeconds(30)).maxAttempts(3)
                        .commitTimeout(Duration.ofSeconds(60)).build(), metrics).tracing(traces.tracing()).start();
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[]{worker, server, bot, traces, otlp}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private HttpResponse<String> send(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean exporterThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("BatchSpanProcessor"));
    }

    @Test
    void withoutAnEndpointNothingIsTracedNoExporterThreadRunsAndTheBotGetsNoTraceparent() throws Exception {
        start(Map.of("OTEL_SERVICE_NAME", "set-but-no-endpoint", "OTEL_TRACES_SAMPLER", "always_on"),
                new HttpReceiver(r -> HttpReceiver.Answer.status(200)));
        assertThat(traces.tracing()).isSameAs(Tracing.OFF);
        assertThat(send("/webhook/web-chat", "{\"sender\": \"v1\", \"id\": \"m1\", \"text\": \"hello\"}",
                "Content-Type", "application/json", "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.requests().size() == 1);
        assertThat(bot.requests().get(0).header("traceparent")).as("no span, so nothing to continue").isNull();
        assertThat(exporterThreadRuns()).isFalse();
        assertThat(MessageCodec.JSON.readTree(bot.requests().get(0).body()).toString()).doesNotContain("4bf92f35");
    }

    @Test
    void onlyACallerTheRouteTrustsStartsOrContinuesATrace() throws Exception {
        otlp = new OtlpReceiver();
        String token = "bridge-token-for-the-trace-test";
        start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "50"),
                new HttpReceiver(r -> HttpReceiver.Answer.status(200)), IngestSettings.defaults().withBridgeToken(token));
        String body = "{\"from\": \"79001234567@c.us\", \"message\": \"hi\", \"messageId\": \"t1\"}";
        String forged = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        for (int i = 0; i < 20; i++) {
            assertThat(send("/webhook/whatsapp/batched", body, "Content-Type", "application/json", "traceparent", forged)
                    .statusCode()).as("no token").isEqualTo(401);
        }
        assertThat(send("/webhook/whatsapp/batched", body, "Content-Type", "application/json", "traceparent", forged,
                "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> otlp.spans().stream().anyMatch(s -> s.name().equals("ack")));
        assertThat(otlp.spans()).filteredOn(s -> s.name().startsWith("POST /webhook")).as("the refused made no span")
                .singleElement().satisfies(s -> assertThat(s.parentId()).isEqualTo("00f067aa0ba902b7"));
    }

    @Test
    void aBotThatCommitsWithTheTraceparentItReceivedShowsItsCommitUnderTheDeliveryAndExemplarsLeadToTheBatch()
            throws Exception {
        otlp = new OtlpReceiver();
        start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "50"),
                new HttpReceiver(r -> new HttpReceiver.Answer(202, Map.of("Rapidfire-Commit", "later"), 0)));
        assertThat(exporterThreadRuns()).isTrue();
        assertThat(send("/webhook/web-chat", "{\"sender\": \"v2\", \"id\": \"m1\", \"text\": \"a table for two\"}",
                "Content-Type", "application/json").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.requests().size() == 1);
        HttpReceiver.Request got = bot.requests().get(0);
        String commitUrl = MessageCodec.JSON.readTree(got.body()).get("commitUrl").asText();
        String batchId = MessageCodec.JSON.readTree(got.body()).get("batchId").asText();
        String trace = Tracing.batchTraceId(batchId);
        URI commit = URI.create(commitUrl);
        String path = commit.getRawPath() + "?" + commit.getRawQuery();
        HttpResponse<String> first = send(path, "", "Authorization", "Bearer " + SECRET,
                "traceparent", got.header("traceparent"));
        HttpResponse<String> again = send(path, "", "Authorization", "Bearer " + SECRET);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(again.statusCode()).as("a commit asked twice is committed twice").isEqualTo(200);

        String commitSpan = "POST /v1/batches/{batchId}/commit";
        await().atMost(Duration.ofSeconds(10)).until(() -> otlp.spans().stream()
                .filter(s -> s.name().equals(commitSpan)).count() == 2);
        Received deliver = otlp.spans().stream().filter(s -> s.name().equals("deliver http")).findFirst().orElseThrow();
        Received process = otlp.spans().stream().filter(s -> s.name().startsWith("process ")).findFirst().orElseThrow();
        List<Received> commits = otlp.spans().stream().filter(s -> s.name().equals(commitSpan)).toList();
        assertThat(commits).as(otlp.tree(trace)).allSatisfy(c -> {
            assertThat(c.traceId()).isEqualTo(trace);
            assertThat(c.attr("http.response.status_code")).isEqualTo("200");
            assertThat(c.service()).isEqualTo("rapidfire-standalone");
        });
        assertThat(commits).extracting(Received::parentId).as("under the bot's traceparent, else under the batch")
                .containsExactlyInAnyOrder(deliver.spanId(), process.spanId());
        assertThat(deliver.attr("rapidfire.delivery.outcome")).isEqualTo("await_commit");

        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/metrics")).header("Accept", "application/openmetrics-text; version=1.0.0").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(open.body()).as("the lateness histogram's exemplar is the batch's trace")
                .containsPattern("rapidfire_release_lateness_seconds_bucket\\{[^}]*} 1 # \\{span_id=\"[0-9a-f]{16}\","
                        + "trace_id=\"" + trace + "\"}").endsWith("# EOF\n");
        String plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(plain).contains("rapidfire_release_lateness_seconds_bucket").doesNotContain("trace_id");
    }
}
