package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.CommitLinks;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.ops.MemoryRegistry;
import io.rapidfire.ops.Metrics;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.testing.ThinkingBot;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One answer per thought over real HTTP: a webhook server on port 0, a worker delivering to a bot stand-in that
 * thinks like an LLM and commits before it answers ({@link ThinkingBot}), the commit route with its answers.
 */
@Tag("fast")
class OneAnswerPerThoughtTest {
    private static final String SECRET = "s1nk-secret";
    private static final String CHAT = "/webhook/web-chat";
    /** Quiet 300 ms, grace 300 ms, max wait 20 s: a message during the bot's thinking supersedes. */
    private static final Policy SUPERSEDE = new Policy(300, 20_000, 10, 16_384, " ").withTyping(true, 300, 10_000)
            .withSupersede(true);

    private final HttpClient http = HttpClient.newHttpClient();
    private BatchStore store;
    private WebhookServer server;
    private Worker worker;
    private ThinkingBot bot;
    private Metrics metrics;

    private void start(Policy policy, long thinkMs, boolean later) {
        store = MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
        metrics = new Metrics(store);
        server = new WebhookServer(store, () -> Policies.of(policy), IngestSettings.defaults(), metrics,
                new MemoryRegistry()).commits(SECRET, 5_000).start("127.0.0.1", 0);
        bot = new ThinkingBot(b -> thinkMs, SECRET, later);
        worker = new Worker(store, new HttpSink(URI.create(bot.url()), SECRET, Duration.ofSeconds(1),
                Duration.ofSeconds(30), new CommitLinks(() -> "http://127.0.0.1:" + server.port(), store)),
                WorkerSettings.builder("w").concurrency(8).lease(Duration.ofSeconds(30)).maxAttempts(3)
                        .commitTimeout(Duration.ofSeconds(60)).build(), metrics).start();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (server != null) {
            server.close();
        }
        if (bot != null) {
            bot.close();
        }
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void say(String who, String id, String text) throws Exception {
        assertThat(post(CHAT, "{\"sender\": \"" + who + "\", \"id\": \"" + id + "\", \"text\": \"" + text + "\"}")
                .statusCode()).isEqualTo(200);
    }

    private void typing(String who, boolean on) throws Exception {
        assertThat(post(CHAT, "{\"sender\": \"" + who + "\", \"typing\": " + on + "}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBatchCarriesItsCommitUrlAndTheBotThatCommitsAnswersIt() throws Exception {
        start(SUPERSEDE, 200, false);
        say("visitor-1", "m1", "hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> !bot.outcomes().isEmpty());
        ThinkingBot.Outcome o = bot.outcomes().get(0);
        assertThat(o.kind()).isEqualTo("answered");
        assertThat(o.batch().path("commitUrl").asText()).startsWith("http://127.0.0.1:" + server.port()
                + "/v1/batches/" + o.batchId() + "/commit?p=");
    }

    @Test
    void aMessageWhileTheBotThinksAbortsItsRequestAndTheWholeThoughtComesOnceAnswered() throws Exception {
        start(SUPERSEDE, 2_500, false);
        say("visitor-2", "m1", "I want to book");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        String first = bot.received().get(0).path("batchId").asText();
        say("visitor-2", "m2", "a haircut tomorrow");

        await().atMost(Duration.ofSeconds(10)).until(() -> bot.outcomes("answered").size() == 1);
        assertThat(bot.outcomes("aborted")).as("the bot saw its client go away").singleElement()
                .satisfies(o -> assertThat(o.batchId()).isEqualTo(first));
        ThinkingBot.Outcome answered = bot.outcomes("answered").get(0);
        assertThat(answered.batch().path("text").asText()).isEqualTo("I want to book a haircut tomorrow");
        assertThat(answered.batch().path("supersedes").get(0).asText()).isEqualTo(first);
        assertThat(answered.batch().path("messages").get(0).path("earlier").asBoolean()).isTrue();
        assertThat(answered.batch().path("messages").get(1).has("earlier")).isFalse();
        assertThat(bot.received()).as("delivered twice: the half, then the whole; answered once").hasSize(2);
        assertThat(worker.superseded()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.counts().inflight() == 0); // the whole thought acked
        String url = answered.batch().path("commitUrl").asText().replace(answered.batchId(), first);
        HttpResponse<String> late = commit(first, url, SECRET);
        assertThat(late.statusCode()).as("the superseded batch's generation, finishing after the whole thought was "
                + "answered and acknowledged").isEqualTo(409);
        assertThat(json(late).path("supersededBy").asText()).isEqualTo(answered.batchId());
        String scrape = metrics.scrape();
        assertThat(scrape).contains("rapidfire_batches_superseded_total{channel=\"web-chat\"} 1.0")
                .contains("rapidfire_commits_total{outcome=\"committed\",waited=\"no\"} 1.0")
                .contains("rapidfire_commits_total{outcome=\"superseded\",waited=\"no\"} 1.0");
    }

    @Test
    void underQueueTheBotAnswersEachBatchAsBefore() throws Exception {
        start(SUPERSEDE.withSupersede(false), 1_500, false);
        say("visitor-3", "m1", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        say("visitor-3", "m2", "two");
        await().atMost(Duration.ofSeconds(15)).until(() -> bot.outcomes("answered").size() == 2);
        assertThat(bot.outcomes("aborted")).isEmpty();
        assertThat(bot.outcomes("answered")).extracting(o -> o.batch().path("text").asText()).containsExactly("one", "two");
    }

    @Test
    void aCommitWaitsWhileThePersonTypesAndIsRefusedWhenTheySend() throws Exception {
        start(SUPERSEDE, 60_000, false);
        say("visitor-4", "m1", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        JsonNode b = bot.received().get(0);
        typing("visitor-4", true);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> asked = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> commit(b.path("batchId").asText(), b.path("commitUrl").asText(), SECRET));
        io.rapidfire.testing.InputPace.typingPause(600);
        assertThat(asked).as("held while the person types").isNotDone();
        say("visitor-4", "m2", "two");
        HttpResponse<String> r = asked.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).path("superseded").asBoolean()).isTrue();
    }

    @Test
    void aCommitWaitsWhileThePersonTypesAndSucceedsWhenTheyStopWithoutSending() throws Exception {
        start(SUPERSEDE, 60_000, false);
        say("visitor-5", "m1", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        JsonNode b = bot.received().get(0);
        typing("visitor-5", true);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> asked = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> commit(b.path("batchId").asText(), b.path("commitUrl").asText(), SECRET));
        io.rapidfire.testing.InputPace.typingPause(600);
        assertThat(asked).isNotDone();
        typing("visitor-5", false);
        HttpResponse<String> r = asked.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("committed").asBoolean()).isTrue();
    }

    @Test
    void aCommitThatCannotWaitGets425WithRetryAfter() throws Exception {
        start(SUPERSEDE, 60_000, false);
        say("visitor-6", "m1", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        JsonNode b = bot.received().get(0);
        typing("visitor-6", true);
        HttpResponse<String> r = commit(b.path("batchId").asText(), b.path("commitUrl").asText() + "&wait=0", SECRET);
        assertThat(r.statusCode()).isEqualTo(425);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(r).path("error").asText()).contains("typing");
    }

    @Test
    void aBotThatAnswers202CommitLaterKeepsTheBatchSupersedableUntilItCommits() throws Exception {
        start(SUPERSEDE, 2_000, true);
        say("visitor-7", "m1", "I want");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        say("visitor-7", "m2", "a table for two");
        await().atMost(Duration.ofSeconds(15)).until(() -> bot.outcomes().size() == 2);
        assertThat(bot.outcomes("dropped")).singleElement().satisfies(o -> assertThat(o.commitStatus()).isEqualTo(409));
        assertThat(bot.outcomes("answered")).singleElement()
                .satisfies(o -> assertThat(o.batch().path("text").asText()).isEqualTo("I want a table for two"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.counts().inflight() == 0);
    }

    @Test
    void badCommitsAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        start(SUPERSEDE, 60_000, false);
        say("visitor-8", "m1", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> bot.received().size() == 1);
        JsonNode b = bot.received().get(0);
        String id = b.path("batchId").asText();
        String url = b.path("commitUrl").asText();
        String base = "http://127.0.0.1:" + server.port() + "/v1/batches/";

        HttpResponse<String> noSecret = commit(id, url, "");
        assertThat(noSecret.statusCode()).isEqualTo(401);
        assertThat(json(noSecret).path("error").asText()).contains("RAPIDFIRE_SINK_SECRET");
        assertThat(commit(id, url, "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> malformed = commit("x", base + "not-a-batch/commit?p=0", SECRET);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("error").asText()).contains("20 hex digits");
        HttpResponse<String> noPartition = commit(id, base + id + "/commit", SECRET);
        assertThat(noPartition.statusCode()).isEqualTo(400);
        assertThat(json(noPartition).path("error").asText()).contains("?p=");
        assertThat(commit(id, base + id + "/commit?p=99", SECRET).statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = commit("x", base + "0123456789abcdef0123-7/commit?p=0", SECRET);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").asText()).contains("0123456789abcdef0123-7");

        say("visitor-8", "m2", "two");
        HttpResponse<String> after = commit(id, url, SECRET);
        assertThat(after.statusCode()).as("none of the refused commits committed it").isEqualTo(409);
    }

    private HttpResponse<String> commit(String batchId, String url, String secret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (!secret.isEmpty()) {
            b.header("Authorization", "Bearer " + secret);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("commit of " + batchId, e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return MessageCodec.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }
}
