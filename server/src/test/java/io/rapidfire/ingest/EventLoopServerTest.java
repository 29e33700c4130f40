package io.rapidfire.ingest;

import io.rapidfire.core.Policy;
import io.rapidfire.http.EdgeSettings;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.testing.HeldAppends;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public port's server (Netty, EventLoopServer): webhooks answered on the event loop, what it owes when it is
 * busy (503 beyond RAPIDFIRE_MAX_INFLIGHT_REQUESTS), when it stops (the webhooks being stored are answered first)
 * and when a client stops reading its answers (it stops being read; nobody else waits). Real sockets on 127.0.0.1.
 */
@Tag("fast")
class EventLoopServerTest {
    private static final Policy SLOW = new Policy(600_000, 1_200_000, 1_000, 1_000_000, " ");

    private static String message(String id) {
        return "{\"from\": \"79001234567@c.us\", \"message\": \"hi\", \"messageId\": \"" + id + "\"}";
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(IngestHarness h, String body) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(h.url("/webhook/whatsapp/batched")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void beyondTheInFlightLimitARequestIsRefused503WithRetryAfterAndCountedAndTheHeldOneIsStored() throws Exception {
        HeldAppends held = new HeldAppends(MemoryBatchStore.builder().partitions(4).build());
        IngestSettings one = IngestSettings.defaults().withEdge(EdgeSettings.defaults().withMaxInFlight(1));
        try (IngestHarness h = new IngestHarness(held.store, one, SLOW, false)) {
            CompletableFuture<HttpResponse<String>> first = postAsync(h, message("held-1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> held.asked() == 1);

            HttpResponse<String> second = h.post("/webhook/whatsapp/batched", message("refused-2"));
            assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
            assertThat(second.headers().firstValue("Retry-After")).contains("1");
            assertThat(second.body()).contains("\"reason\":\"overloaded\"", "RAPIDFIRE_MAX_INFLIGHT_REQUESTS",
                    "nothing stored");
            assertThat(h.metrics.scrape()).contains("rapidfire_requests_rejected_total{reason=\"overloaded\"} 1.0");

            held.release();
            HttpResponse<String> stored = first.get(5, TimeUnit.SECONDS);
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(h.store.counts().pending()).isEqualTo(1);
            assertThat(h.post("/webhook/whatsapp/batched", message("after-3")).statusCode())
                    .as("once the held one is answered, the next is taken").isEqualTo(200);
        }
    }

    @Test
    void headersOver8KiBAreAnswered431AndNothingIsStored() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            io.rapidfire.testing.RawHttp.Response r = io.rapidfire.testing.RawHttp.send(null, h.server().port(), "POST",
                    "/webhook/whatsapp/batched", message("big-head"), "Content-Type", "application/json",
                    "tracestate", "a=" + "x".repeat(9_000));
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body()).contains("\"reason\":\"bad_request\"", "over 8 KiB");
            assertThat(h.store.counts().pending()).isZero();
            assertThat(h.post("/webhook/whatsapp/batched", message("small-head")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aWebhookBeingStoredWhenTheServerStopsIsAnsweredBeforeItStops() throws Exception {
        HeldAppends held = new HeldAppends(MemoryBatchStore.builder().partitions(4).build());
        IngestHarness h = new IngestHarness(held.store, IngestSettings.defaults(), SLOW, false);
        try {
            CompletableFuture<HttpResponse<String>> inFlight = postAsync(h, message("draining-1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> held.asked() == 1);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(h::close);
            // The stop waits for the held append: release it a little later, while the server is stopping.
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !stopping.isDone());
            held.release();
            HttpResponse<String> answered = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(answered.headers().firstValue("Connection")).as("the server is stopping").contains("close");
            stopping.get(10, TimeUnit.SECONDS);
            assertThat(h.store.counts().pending()).isEqualTo(1);
        } finally {
            h.close();
        }
    }

    @Test
    void aClientThatSendsRequestsButNeverReadsItsAnswersStopsBeingReadAndOthersAreStillAnswered() throws Exception {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false);
             Socket greedy = new Socket("127.0.0.1", h.server().port())) {
            greedy.setReceiveBufferSize(4096);
            int requests = 50_000;
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = greedy.getOutputStream();
                    for (int i = 0; i < requests && !stop.get(); i++) {
                        String body = message("greedy-" + i);
                        out.write(("POST /webhook/whatsapp/batched HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (java.io.IOException closed) {
                    // the test ends by closing the socket while this thread is blocked in write
                }
            });
            // The greedy client's answers fill its socket; the server stops reading it, so its count stops growing.
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long now = h.store.counts().pending() == 0 ? 0 : h.store.pending(1).get(0).messages();
                boolean still = now == last[0];
                last[0] = now;
                return still && now > 0;
            });
            long stored = last[0];

            long t0 = System.nanoTime();
            HttpResponse<String> other = h.post("/webhook/whatsapp/batched",
                    "{\"from\": \"79005550000@c.us\", \"message\": \"me too\", \"messageId\": \"other-1\"}");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("a client that never reads: %d of %d requests stored before it stopped being read; "
                    + "another client answered in %d ms%n", stored, requests, ms);
            assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
            assertThat(ms).as("another client's request, while one never reads").isLessThan(2_000);
            assertThat(stored).as("requests read from a client that never reads its answers").isLessThan(requests);
            stop.set(true);
            greedy.close();
            sending.get(10, TimeUnit.SECONDS);
        }
    }
}
