package io.rapidfire.delivery;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.Batch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.HttpReceiver.Answer;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("redis")
class HttpSinkTest {
    private static final Batch BATCH = Batch.of("abc123-1", new ConversationRef("acme", "whatsapp", "79001234567"), 1,
            List.of(new StoredMessage(Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "m1", "Hi,", null), 1000),
                    new StoredMessage(Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "m2", "there", null), 1100)),
            ReleaseReason.QUIET, 1, " ");

    private static HttpSink sink(HttpReceiver bot, String secret, long timeoutMs) {
        return new HttpSink(URI.create(bot.url()), secret, Duration.ofSeconds(1), Duration.ofMillis(timeoutMs));
    }

    @Test
    void a2xxAcknowledgesAndTheRequestCarriesTheIdempotencyKeyAndAValidSignature() throws Exception {
        try (HttpReceiver bot = new HttpReceiver(r -> Answer.status(202))) {
            DeliveryOutcome o = sink(bot, "s3cret", 5_000).deliver(BATCH);
            assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.ACK);
            HttpReceiver.Request r = bot.requests().get(0);
            assertThat(r.header("Idempotency-Key")).isEqualTo("abc123-1");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            String expected = "sha256=" + HttpSink.sign("s3cret".getBytes(StandardCharsets.UTF_8),
                    r.body().getBytes(StandardCharsets.UTF_8));
            assertThat(r.header("X-Rapidfire-Signature")).isEqualTo(expected);
            assertThat(r.body()).contains("\"text\":\"Hi, there\"").contains("\"batchId\":\"abc123-1\"");
        }
    }

    @Test
    void credentialsInTheBotUrlAreMaskedInDescriptionsAndDeliveryErrors() throws Exception {
        int closed = RedisServer.freePort();
        HttpSink sink = new HttpSink(URI.create("http://bot:pa55word@127.0.0.1:" + closed + "/hook?key=k3y-123"), "",
                Duration.ofMillis(500), Duration.ofMillis(500));
        DeliveryOutcome o = sink.deliver(BATCH);
        assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
        assertThat(o.detail() + " " + sink.describe()).contains("http://***@127.0.0.1:" + closed + "/hook?key=***")
                .doesNotContain("pa55word").doesNotContain("k3y-123");
        try (HttpReceiver bot = new HttpReceiver(r -> Answer.status(404))) {
            HttpSink refused = new HttpSink(URI.create(bot.url() + "?token=t0k3n"), "", Duration.ofSeconds(1),
                    Duration.ofSeconds(1));
            assertThat(refused.deliver(BATCH).detail()).contains("HTTP 404").contains("token=***").doesNotContain("t0k3n");
        }
    }

    @Test
    void withoutASecretThereIsNoSignatureHeader() throws Exception {
        try (HttpReceiver bot = new HttpReceiver(r -> Answer.status(200))) {
            sink(bot, "", 5_000).deliver(BATCH);
            assertThat(bot.requests().get(0).header("X-Rapidfire-Signature")).isNull();
        }
    }

    @Test
    void serverErrorsTimeoutsAndThrottlingAreRetriedOtherClientErrorsAreRejected() throws Exception {
        for (int status : new int[]{500, 502, 503, 408, 429}) {
            try (HttpReceiver bot = new HttpReceiver(r -> Answer.status(status))) {
                assertThat(sink(bot, "", 5_000).deliver(BATCH).kind()).as("HTTP " + status)
                        .isEqualTo(DeliveryOutcome.Kind.RETRY);
            }
        }
        for (int status : new int[]{400, 401, 404, 422}) {
            try (HttpReceiver bot = new HttpReceiver(r -> Answer.status(status))) {
                DeliveryOutcome o = sink(bot, "", 5_000).deliver(BATCH);
                assertThat(o.kind()).as("HTTP " + status).isEqualTo(DeliveryOutcome.Kind.REJECT);
                assertThat(o.detail()).contains("HTTP " + status);
            }
        }
    }

    @Test
    void retryAfterFromTheDownstreamIsPassedOn() throws Exception {
        try (HttpReceiver bot = new HttpReceiver(r -> new Answer(429, Map.of("Retry-After", "7"), 0))) {
            DeliveryOutcome o = sink(bot, "", 5_000).deliver(BATCH);
            assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
            assertThat(o.retryAfterMs()).isEqualTo(7_000);
        }
    }

    @Test
    void aDownstreamSlowerThanTheTimeoutIsRetried() throws Exception {
        try (HttpReceiver bot = new HttpReceiver(r -> new Answer(200, Map.of(), 2_000))) {
            long t0 = System.nanoTime();
            DeliveryOutcome o = sink(bot, "", 300).deliver(BATCH);
            assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
            assertThat(o.detail()).contains("within 300 ms");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_900);
        }
    }

    @Test
    void manyDeliveriesToASlowBotWaitTogetherOverPlainHttp11WithoutAThreadEach() throws Exception {
        try (HttpReceiver bot = new HttpReceiver(r -> new Answer(200, Map.of(), 1_000))) {
            HttpSink sink = sink(bot, "", 10_000);
            long threadsBefore = clientThreads();
            long t0 = System.nanoTime();
            List<java.util.concurrent.CompletableFuture<DeliveryOutcome>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(sink.deliverAsync(BATCH, Runnable::run));
            }
            long threadsWhileWaiting = clientThreads();
            for (java.util.concurrent.CompletableFuture<DeliveryOutcome> c : calls) {
                assertThat(c.get(20, java.util.concurrent.TimeUnit.SECONDS).kind()).isEqualTo(DeliveryOutcome.Kind.ACK);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // 40 answers of 1 s each, waited for side by side: seconds, not 40.
            assertThat(ms).as("40 deliveries to a bot answering in 1 s").isLessThan(10_000);
            // The client's selector thread waits on all of them: no thread per delivery in flight (the bot stand-in
            // here does use a thread per request: only the client's threads are counted).
            assertThat(threadsWhileWaiting - threadsBefore).as("client threads started for 40 deliveries in flight")
                    .isLessThanOrEqualTo(1);
            assertThat(bot.requests()).hasSize(40).allSatisfy(r -> assertThat(r.header("Upgrade"))
                    .as("no h2c upgrade offered to a bot").isNull());
        }
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("HttpClient-")).count();
    }

    @Test
    void anUnreachableDownstreamIsRetried() throws Exception {
        int port = RedisServer.freePort();
        HttpSink s = new HttpSink(URI.create("http://127.0.0.1:" + port + "/x"), "", Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        DeliveryOutcome o = s.deliver(BATCH);
        assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
        assertThat(o.detail()).contains("cannot reach");
    }
}
