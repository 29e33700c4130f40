package io.rapidfire.ingest;

import io.rapidfire.core.AppendResult;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.Message;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.ops.Metrics;

import java.util.List;

/**
 * What an adapted request stores, once it passed every check of the webhook: its messages under the person's
 * conversation (IdentityLinks), in order, and its typing events. All or nothing for bad input: with several
 * messages, each is checked against its policy's limits before the first is stored, and lid-phone pairs are
 * remembered only then, so a 400 leaves nothing of the request behind. A store failure throws (503) and the
 * platform's retry is de-duplicated.
 */
final class InboundStore {
    /** What went in: for the answer, the metrics and the log. {@code last}: the last append's result, null if none. */
    record Stored(int accepted, int duplicates, AppendResult last, int presence) {
    }

    private final Batcher batcher;
    private final IdentityLinks identities;
    private final Metrics metrics;
    private final boolean mediaReleases;
    private final WebhookSpans spans;

    InboundStore(Batcher batcher, IdentityLinks identities, Metrics metrics, boolean mediaReleases, WebhookSpans spans) {
        this.batcher = batcher;
        this.identities = identities;
        this.metrics = metrics;
        this.mediaReleases = mediaReleases;
        this.spans = spans;
    }

    /**
     * Whether storing {@code in} calls the store other than by appends (a lid to look up, a pair to remember, typing
     * events): then it is {@link #store}d on a thread that may wait, else {@link #storeAsync} needs none.
     */
    boolean waits(Inbound in) {
        return !in.links().isEmpty() || !in.presence().isEmpty() || identities.readsStore(in.messages());
    }

    /**
     * As {@link #store} for a request that only appends ({@link #waits} false): the appends go one after the other
     * (the conversation's order), each from the previous one's answer, and nothing waits for Redis.
     */
    java.util.concurrent.CompletableFuture<Stored> storeAsync(Inbound in, boolean passthrough) {
        List<Message> all = in.messages();
        checkAll(all);
        int[] counts = new int[2];
        AppendResult[] last = new AppendResult[1];
        // Each append's span starts when its append does, under the request's span current now.
        io.opentelemetry.context.Context request = spans.on() ? io.opentelemetry.context.Context.current() : null;
        java.util.concurrent.CompletableFuture<AppendResult> chain = java.util.concurrent.CompletableFuture.completedFuture(null);
        for (Message m : all) {
            chain = chain.thenCompose(previous -> appendAsync(m, passthrough, request)).whenComplete((r, e) -> {
                if (r != null) {
                    counts[r.duplicate() ? 1 : 0]++;
                    last[0] = r;
                }
            });
        }
        return chain.thenApply(r -> new Stored(counts[0], counts[1], last[0], 0));
    }

    private java.util.concurrent.CompletableFuture<AppendResult> appendAsync(Message m, boolean passthrough,
                                                                           io.opentelemetry.context.Context request) {
        if (request == null) {
            return appendAsync(m, passthrough);
        }
        io.opentelemetry.api.trace.Span span;
        try (io.opentelemetry.context.Scope ignored = request.makeCurrent()) {
            span = spans.append(m);
        }
        return appendAsync(m.withTrace(io.rapidfire.trace.Tracing.traceparent(span.getSpanContext())), passthrough)
                .whenComplete((r, e) -> WebhookSpans.appended(span, r != null && r.duplicate(),
                        e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e));
    }

    private java.util.concurrent.CompletableFuture<AppendResult> appendAsync(Message m, boolean passthrough) {
        try {
            if (passthrough) {
                return batcher.appendPassthroughAsync(m);
            } else if (mediaReleases && m.type().isMedia()) {
                return batcher.appendAndReleaseAsync(m, ReleaseReason.MEDIA);
            }
            return batcher.appendAsync(m);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** A lone message is checked by its append (the store's contract); only several need checking first. */
    private void checkAll(List<Message> all) {
        for (int i = 0; all.size() > 1 && i < all.size(); i++) {
            try {
                batcher.check(all.get(i));
            } catch (InvalidMessageException e) {
                throw new InvalidMessageException("message " + (i + 1) + " of " + all.size() + ": " + e.getMessage()
                        + "; nothing of this request was stored");
            }
        }
    }

    /** @param passthrough the unbatched route: each message is released alone, typing holds nothing */
    Stored store(Inbound in, boolean passthrough) {
        List<Message> all = identities.resolve(in.messages());
        checkAll(all);
        identities.learn(in.links());
        int accepted = 0;
        int duplicates = 0;
        AppendResult last = null;
        for (Message m : all) {
            last = spans.on() ? traced(m, passthrough) : append(m, passthrough);
            if (last.duplicate()) {
                duplicates++;
            } else {
                accepted++;
            }
        }
        int presence = 0;
        for (Inbound.Presence p : in.presence()) {
            if (!passthrough && batcher.presence(identities.resolve(p.conversation()), p.typing()) != PresenceOutcome.IGNORED) {
                presence++;
            }
        }
        metrics.presence(in.presence().size(), presence);
        return new Stored(accepted, duplicates, last, presence);
    }

    private AppendResult append(Message m, boolean passthrough) {
        if (passthrough) {
            return batcher.appendPassthrough(m);
        } else if (mediaReleases && m.type().isMedia()) {
            return batcher.appendAndRelease(m, ReleaseReason.MEDIA);
        }
        return batcher.append(m);
    }

    /** The append under its own span, whose context is stored with the message for the batch's span to link to. */
    private AppendResult traced(Message m, boolean passthrough) {
        io.opentelemetry.api.trace.Span span = spans.append(m);
        try {
            AppendResult r = append(m.withTrace(io.rapidfire.trace.Tracing.traceparent(span.getSpanContext())),
                    passthrough);
            WebhookSpans.appended(span, r.duplicate(), null);
            return r;
        } catch (RuntimeException e) {
            WebhookSpans.appended(span, false, e);
            throw e;
        }
    }
}
