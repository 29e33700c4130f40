package io.rapidfire.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.rapidfire.core.Batch;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.Mask;
import io.rapidfire.core.Message;

/**
 * The worker's spans of one batch, in the batch's own trace ({@link Tracing#batchTraceId}):
 * <pre>
 * process &lt;channel&gt;            the batch (root; made and ended as its first attempt starts), linked to every
 *                                message's append span; release reason and lateness, size, conversation (masked)
 *   deliver &lt;sink&gt;             one delivery attempt (a later attempt, in any worker, hangs under the same root);
 *                                outcome, cause; its context is what the bot receives (traceparent, BullMQ, stream)
 *     ack | retry | release | dead_letter | await_commit   the outcome written to the store
 * </pre>
 * Attributes never carry a raw number or message text: conversations and causes are masked as the logs are.
 */
public final class BatchSpans {
    public static final AttributeKey<String> BATCH_ID = AttributeKey.stringKey("rapidfire.batch.id");
    public static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("rapidfire.conversation");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("rapidfire.release.reason");
    public static final AttributeKey<Long> LATENESS = AttributeKey.longKey("rapidfire.release.lateness_ms");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("rapidfire.delivery.attempt");
    public static final AttributeKey<String> SINK = AttributeKey.stringKey("rapidfire.sink");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("rapidfire.delivery.outcome");
    public static final AttributeKey<String> CAUSE = AttributeKey.stringKey("rapidfire.delivery.cause");
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<Long> COUNT = AttributeKey.longKey("messaging.batch.message_count");

    private final Tracing tracing;
    private final String sink;
    private final SpanKind deliverKind;

    /** @param sink the sink's kind as spans name it (http, bullmq, stream, log, ...) */
    public BatchSpans(Tracing tracing, String sink) {
        this.tracing = tracing;
        this.sink = sink;
        this.deliverKind = "http".equals(sink) ? SpanKind.CLIENT : SpanKind.PRODUCER;
    }

    public boolean on() {
        return tracing.on();
    }

    /**
     * One attempt's spans; {@link Attempt#NONE} when tracing is off, or when the spans cannot be built (a trace is
     * never a reason not to deliver).
     */
    public Attempt start(ClaimedBatch claimed) {
        if (!tracing.on()) {
            return Attempt.NONE;
        }
        try {
            return attempt(claimed);
        } catch (RuntimeException e) {
            return Attempt.NONE;
        }
    }

    private Attempt attempt(ClaimedBatch claimed) {
        Batch b = claimed.batch();
        Span root = null;
        Context parent;
        if (b.attempt() <= 1) {
            SpanBuilder sb = tracing.tracer().spanBuilder("process " + b.conversation().channel())
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(SYSTEM, "rapidfire").setAttribute(OPERATION, "process")
                    .setAttribute(DESTINATION, b.conversation().tenant() + "/" + b.conversation().channel())
                    .setAttribute(COUNT, (long) b.size()).setAttribute(BATCH_ID, b.batchId())
                    .setAttribute(CONVERSATION, Mask.conversation(b.conversation().key()))
                    .setAttribute(REASON, b.reason().wire());
            if (claimed.lateMs() >= 0) {
                sb.setAttribute(LATENESS, claimed.lateMs());
            }
            for (Message m : b.messages()) {
                SpanContext sc = Tracing.fromTraceparent(m.trace());
                if (sc.isValid()) {
                    sb.addLink(sc);
                }
            }
            root = tracing.startBatchRoot(sb, b.batchId());
            parent = Context.root().with(root);
        } else {
            parent = Context.root().with(Span.wrap(tracing.batchRoot(b.batchId())));
        }
        Span attempt = tracing.tracer().spanBuilder("deliver " + sink).setParent(parent).setSpanKind(deliverKind)
                .setAttribute(SINK, sink).setAttribute(ATTEMPT, (long) b.attempt()).setAttribute(BATCH_ID, b.batchId())
                .startSpan();
        if (root != null) {
            // Ended now, not with the attempt: the span that links the messages is exported even if this worker dies
            // during the delivery, and every later attempt hangs under it.
            root.end();
        }
        return new Attempt(tracing, attempt);
    }

    /** The spans of one delivery attempt; all methods do nothing on {@link #NONE}. */
    public static final class Attempt {
        public static final Attempt NONE = new Attempt(null, null);
        private final Tracing tracing;
        private final Span attempt;

        private Attempt(Tracing tracing, Span attempt) {
            this.tracing = tracing;
            this.attempt = attempt;
        }

        /** Makes the attempt current on this thread: the sink's call, log lines and exemplars see it. */
        public Scope makeCurrent() {
            return attempt == null ? Scope.noop() : attempt.makeCurrent();
        }

        /** The sink's answer and what it means. {@code cause} may quote the bot's answer: hidden here (Mask.note). */
        public void outcome(String outcome, String cause) {
            if (attempt == null) {
                return;
            }
            attempt.setAttribute(OUTCOME, outcome);
            if (cause != null && !cause.isEmpty()) {
                attempt.setAttribute(CAUSE, Mask.note(cause));
            }
            if ("retry".equals(outcome) || "dead_letter".equals(outcome)) {
                attempt.setStatus(StatusCode.ERROR, outcome); // superseded and release (a worker stopping) are not failures
            }
        }

        /** A span around the store call that records the outcome. */
        public Span record(String op) {
            return attempt == null ? Span.getInvalid()
                    : tracing.tracer().spanBuilder(op).setParent(Context.root().with(attempt)).startSpan();
        }

        public void end() {
            if (attempt != null) {
                attempt.end();
            }
        }
    }
}
