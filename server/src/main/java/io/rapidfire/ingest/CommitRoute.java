package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.FailedAttempts;
import io.rapidfire.http.JavalinRequests;
import io.rapidfire.http.Refused;
import io.rapidfire.http.RequestHead;
import io.rapidfire.http.Tokens;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rapidfire.core.BatchQueue;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.ops.Metrics;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/batches/{batchId}/commit?p=<partition>}: a bot asks, just before it posts its answer, whether the
 * batch is still the current one (one answer per thought, docs/release-rules.md). 200: post it (from now on a new
 * message opens the next batch); 409: the person wrote again, drop the answer, the whole thought comes in the batch
 * named (or, with {@code "handover": true}, a human took the conversation over); 404: no such batch with a bot;
 * 425: the person is still typing.
 *
 * <p><b>Waiting while the person types.</b> A commit asked while the person is typing again (or before the policy's
 * commit floor) is held, polling the store every {@value #POLL_MS} ms, until they send (409) or stop (200 after the
 * grace), for at most RAPIDFIRE_COMMIT_WAIT_MS; a request's {@code ?wait=<ms>} may ask for less, 0 for none. Past it:
 * 425 Too Early with Retry-After. Why hold rather than answer 425 at once: the bot has its answer ready and would only
 * ask again; a held request costs no thread here (the wait runs on a timer) and answers the moment things change.
 * 425 remains for a bot whose HTTP client cannot wait that long.
 *
 * <p><b>Who may commit.</b> The sink's secret as {@code Authorization: Bearer <RAPIDFIRE_SINK_SECRET>} (compared in
 * constant time; wrong ones throttled per client). Without a secret, only direct loopback callers (the quick
 * start's bot on the same host), as for the webhooks.
 */
final class CommitRoute {
    static final long POLL_MS = 100;
    /**
     * Commits held at once while people type: each polls the store every {@value #POLL_MS} ms on the timer's two
     * threads, so they are bounded; past it a commit is answered 425 at once, as with {@code ?wait=0}.
     */
    static final int MAX_HELD = 256;
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private static final Pattern BATCH_ID = Pattern.compile("[0-9a-f]{20}-[0-9]{1,19}");

    private final BatchQueue store;
    private final EdgeRules edge;
    private final Metrics metrics;
    private final FailedAttempts failures = new FailedAttempts("commit_rate_limited", "commit attempts");
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "rapidfire-commit-wait");
        t.setDaemon(true);
        return t;
    });
    private volatile String secret = "";
    private volatile long waitMs = 5_000;

    private final WebhookSpans spans;

    CommitRoute(BatchQueue store, EdgeRules edge, Metrics metrics, WebhookSpans spans) {
        this.spans = spans;
        this.store = store;
        this.edge = edge;
        this.metrics = metrics;
    }

    void configure(String sinkSecret, long maxWaitMs) {
        this.secret = sinkSecret == null ? "" : sinkSecret;
        this.waitMs = maxWaitMs;
    }

    void handle(Context ctx) {
        authorize(ctx);
        String id = ctx.pathParam("batchId");
        if (!BATCH_ID.matcher(id).matches()) {
            throw new BadRequest("'" + Answers.clip(id) + "' is not a batch id: 20 hex digits, a dash and the "
                    + "batch's sequence, as in the batch's batchId (use its commitUrl as given)");
        }
        int p = partition(ctx.queryParam("p"));
        long wait = Math.min(waitMs, wholeNumber(ctx.queryParam("wait"), "wait", waitMs));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (spans.on()) {
            io.opentelemetry.api.trace.Span span = spans.commit(ctx::header, id);
            // Ends with the answer's status: 200 committed, 409 superseded or handed over, 425, 404.
            done.whenComplete((v, e) -> WebhookSpans.end(span, e instanceof java.util.concurrent.CompletionException
                    && e.getCause() != null ? e.getCause() : e, ctx.statusCode()));
        }
        ctx.future(() -> done);
        attempt(ctx, id, p, deadline, false, done);
    }

    private void attempt(Context ctx, String id, int p, long deadline, boolean waited, CompletableFuture<Void> done) {
        try {
            CommitResult r = store.commit(p, id);
            boolean hold = r.outcome() == CommitResult.Outcome.NOT_YET && System.nanoTime() < deadline;
            if (hold && (waited || tryHold())) {
                timer.schedule(() -> attempt(ctx, id, p, deadline, true, done), POLL_MS, TimeUnit.MILLISECONDS);
                return;
            }
            release(waited);
            answer(ctx, id, p, r, waited);
            done.complete(null);
        } catch (RuntimeException e) {
            release(waited);
            done.completeExceptionally(e); // the server's exception handlers answer (503 for a store fault)
        }
    }

    /** Takes a place among the held commits; false when all {@value #MAX_HELD} are taken (then: 425 now). */
    private boolean tryHold() {
        if (held.incrementAndGet() > MAX_HELD) {
            held.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A held commit (one that waited) ends: its place is free again. */
    private void release(boolean waited) {
        if (waited) {
            held.decrementAndGet();
        }
    }

    private void answer(Context ctx, String id, int p, CommitResult r, boolean waited) {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("batchId", id);
        switch (r.outcome()) {
            case COMMITTED -> {
                metrics.commit("committed", waited);
                o.put("success", true).put("committed", true);
                Answers.json(ctx, 200, o);
            }
            case SUPERSEDED -> {
                metrics.commit("superseded", waited);
                o.put("success", false).put("superseded", true);
                if (r.supersededBy() != null) {
                    o.put("supersededBy", r.supersededBy());
                } else {
                    o.putNull("supersededBy");
                }
                o.put("error", "batch " + id + " was superseded: the person wrote again before it was committed. Drop "
                        + "this answer; its messages come again, with the new ones, in " + (r.supersededBy() != null
                        ? "batch " + r.supersededBy() : "the next batch (not released yet)"));
                Answers.json(ctx, 409, o);
            }
            case HANDED_OVER -> {
                metrics.commit("handed_over", waited);
                o.put("success", false).put("handover", true);
                o.put("error", "batch " + id + " is not the bot's to answer: a human has taken the conversation over. "
                        + "Drop this answer; the conversation's next batches come marked handover: true until the human "
                        + "hands it back (docs/operations.md, handing a conversation to a human)");
                Answers.json(ctx, 409, o);
            }
            case UNKNOWN -> {
                metrics.commit("unknown", waited);
                String why = "no batch " + id + " in partition " + p + ": dead-lettered, cleared, finished more than 10 "
                        + "minutes ago, acknowledged under the queue rule, or never existed (or not in this partition: use "
                        + "the batch's commitUrl as given). Do not answer it";
                ctx.attribute("notFound", why); // the server's 404 handler writes the answer with this text
                o.put("success", false).put("error", why);
                Answers.json(ctx, 404, o);
            }
            case NOT_YET -> {
                metrics.commit("too_early", waited);
                long inMs = Math.max(POLL_MS, r.readyAtMs() - store.nowMs());
                ctx.header("Retry-After", Long.toString(Math.max(1, (inMs + 999) / 1000)));
                o.put("success", false).put("retryAfterMs", inMs).put("error", "not yet: the person is typing again "
                        + "(or the tenant's RAPIDFIRE_COMMIT_NOT_BEFORE_MS has not passed since their last message). "
                        + "Ask again after Retry-After; if they send meanwhile the answer is 409");
                Answers.json(ctx, 425, o);
            }
        }
    }

    private void authorize(Context ctx) {
        String client = JavalinRequests.client(ctx, edge);
        failures.checkAllowed(client);
        if (secret.isEmpty()) {
            RequestHead head = JavalinRequests.head(ctx);
            if (!edge.trusted(head, client, List.of("loopback"))) {
                throw Refused.unauthorized("commit_unauthorized", "commits from " + client + " need "
                        + "RAPIDFIRE_SINK_SECRET set and Authorization: Bearer <it>; without a secret only direct "
                        + "loopback callers may commit (" + edge.whyNotTrusted(head, client, List.of("loopback")) + ")");
            }
            return;
        }
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            throw Refused.unauthorized("commit_unauthorized", "a commit needs Authorization: Bearer "
                    + "<RAPIDFIRE_SINK_SECRET> (the secret the sink signs batches with)");
        }
        if (!Tokens.same(secret, h.substring(7).trim())) {
            failures.failed(client);
            throw Refused.unauthorized("commit_unauthorized", "the bearer token does not match "
                    + "RAPIDFIRE_SINK_SECRET");
        }
    }

    private int partition(String p) {
        if (p == null || p.isBlank()) {
            throw new BadRequest("?p=<partition> is missing: use the batch's commitUrl as given");
        }
        long n = wholeNumber(p, "p", -1);
        if (n < 0 || n >= store.partitions()) {
            throw new BadRequest("p=" + n + " is not a partition of this deployment (0 to " + (store.partitions() - 1)
                    + "): use the batch's commitUrl as given");
        }
        return (int) n;
    }

    private static long wholeNumber(String v, String name, long absent) {
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + "=" + Answers.clip(v) + " is not a whole number of 0 or more");
        }
    }

    void close() {
        timer.shutdownNow();
    }
}
