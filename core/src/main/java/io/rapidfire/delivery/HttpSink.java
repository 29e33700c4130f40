package io.rapidfire.delivery;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * POSTs the batch JSON to the bot. 2xx acknowledges (and counts as the bot's commit), except 202 with
 * {@code Rapidfire-Commit: later}: the bot has the batch and will commit through its {@code commitUrl} (one answer
 * per thought). 408, 429, 5xx, timeouts and connection errors are retried (honouring Retry-After); any other status
 * is a permanent refusal (dead letter at once). A 2xx whose body is {@code {"handover": true}} also asks for a human
 * (the worker hands the conversation over). Headers: {@code Idempotency-Key: <batchId>} (same on every redelivery), {@code X-Rapidfire-Attempt}, when the batch
 * supersedes earlier ones {@code X-Rapidfire-Supersedes: <id>,<id>}, and, when a secret is set,
 * {@code X-Rapidfire-Signature: sha256=<hex HMAC-SHA256 of the exact body>}, and with tracing on
 * {@code traceparent}/{@code tracestate} of the delivery's span. A delivery the worker cancels (its batch
 * was superseded, or shutdown) aborts the exchange: the bot sees its client go away.
 */
public final class HttpSink implements Sink {
    private final URI url;
    /** The URL as errors and logs show it: credentials in it (user info, query values) masked. */
    private final String shown;
    private final byte[] secret;
    private final Duration timeout;
    private final HttpClient client;
    private final java.util.function.Function<Batch, String> commitUrls;

    public HttpSink(URI url, String secret, Duration connectTimeout, Duration timeout) {
        this(url, secret, connectTimeout, timeout, null);
    }

    /** @param commitUrls each batch's commit URL ({@link CommitLinks}); null: batches carry none */
    public HttpSink(URI url, String secret, Duration connectTimeout, Duration timeout,
                    java.util.function.Function<Batch, String> commitUrls) {
        this.commitUrls = commitUrls;
        this.url = url;
        this.shown = io.rapidfire.core.Mask.url(url.toString());
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        // HTTP/1.1: a bot endpoint is a plain web server (the default would offer an h2c upgrade on every new
        // connection). The client's own thread completes each exchange (direct executor): the worker moves the
        // outcome to its finisher threads anyway, and on two cores the default executor's extra thread hand-off
        // per response cost more CPU than the exchange itself (issue 16, bench/results/).
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .executor(Runnable::run).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws InterruptedException {
        try {
            return deliverAsync(batch, Runnable::run).get();
        } catch (ExecutionException e) {
            return failure(e.getCause());
        }
    }

    /** Holds no thread while the bot thinks: the JDK client waits on its selector and completes the future. */
    @Override
    public CompletableFuture<DeliveryOutcome> deliverAsync(Batch batch, Executor blocking) {
        byte[] body = BatchJson.of(batch, commitUrls == null ? null : commitUrls.apply(batch))
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", batch.batchId())
                .header("X-Rapidfire-Attempt", Integer.toString(batch.attempt()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            req.header("X-Rapidfire-Signature", "sha256=" + sign(secret, body));
        }
        if (!batch.supersedes().isEmpty()) {
            req.header("X-Rapidfire-Supersedes", String.join(",", batch.supersedes()));
        }
        io.rapidfire.trace.Tracing.currentContext().forEach(req::header); // the delivery span's traceparent
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<DeliveryOutcome> outcome = call.handle((resp, e) -> e == null ? answered(resp) : failure(e));
        // The worker cancels what it gives up on (shutdown): pass that on so the exchange is abandoned too.
        outcome.whenComplete((o, e) -> {
            if (outcome.isCancelled()) {
                call.cancel(true);
            }
        });
        return outcome;
    }

    private DeliveryOutcome answered(HttpResponse<String> resp) {
        int s = resp.statusCode();
        String detail = "HTTP " + s + " from " + shown + bodyHint(resp.body());
        if (s == 202 && resp.headers().firstValue("Rapidfire-Commit").map(v -> v.trim().equalsIgnoreCase("later"))
                .orElse(false)) {
            return asksForHuman(resp.body()) ? DeliveryOutcome.ackLater(detail).askingForHuman()
                    : DeliveryOutcome.ackLater(detail);
        }
        if (s >= 200 && s < 300) {
            return asksForHuman(resp.body()) ? DeliveryOutcome.ack(detail).askingForHuman() : DeliveryOutcome.ack(detail);
        }
        if (s == 408 || s == 429 || s >= 500) {
            return DeliveryOutcome.retryAfter("http_" + s, detail, retryAfterMs(resp));
        }
        return DeliveryOutcome.reject("http_" + s, detail);
    }

    private DeliveryOutcome failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
            return DeliveryOutcome.retry("timeout", "no response from " + shown + " within " + timeout.toMillis() + " ms "
                    + "(RAPIDFIRE_SINK_TIMEOUT_MS)");
        }
        return DeliveryOutcome.retry("connection", "cannot reach " + shown + " or it broke off its answer: " + cause);
    }

    /**
     * Whether a 2xx answer is a JSON object with {@code "handover": true} (the bot asks for a human). Anything else,
     * including a body that is not JSON, is a plain acknowledgement: bots answer all sorts of bodies.
     */
    static boolean asksForHuman(String body) {
        if (body == null || body.length() > 65_536 || !body.contains("handover")) {
            return false;
        }
        try {
            return io.rapidfire.core.MessageCodec.JSON.readTree(body).path("handover").asBoolean(false);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String bodyHint(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip();
        return ": " + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
    }

    private static long retryAfterMs(HttpResponse<?> resp) {
        return resp.headers().firstValue("Retry-After").map(v -> {
            try {
                return Math.min(3_600_000L, Long.parseLong(v.trim()) * 1000);
            } catch (NumberFormatException e) {
                return 0L; // HTTP-date form: fall back to our own backoff
            }
        }).orElse(0L);
    }

    public static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public String describe() {
        return "http POST " + shown + (secret != null ? " (signed)" : " (unsigned)");
    }
}
