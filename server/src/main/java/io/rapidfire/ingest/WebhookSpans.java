package io.rapidfire.ingest;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.Mask;
import io.rapidfire.core.Message;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.http.Refused;
import io.rapidfire.http.RequestHead;
import io.rapidfire.trace.BatchSpans;
import io.rapidfire.trace.Tracing;

import java.util.List;

/**
 * The API side of a trace (docs/operations.md#traces): a server span per webhook request, continuing the caller's
 * {@code traceparent} when the bridge sends one, and under it one {@code append} span per message, whose context is
 * stored with the message ({@link Message#trace()}) so that the batch's span can link to it. Attributes follow the
 * HTTP and messaging conventions where they fit; the conversation is masked, and neither message text nor a platform
 * message id (WhatsApp's carry the phone number) is recorded.
 */
final class WebhookSpans {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> STORED = AttributeKey.stringKey("rapidfire.append.outcome");
    static final String COMMIT_ROUTE = "/v1/batches/{batchId}/commit";
    /** The caller's W3C context, read from its request headers (a header by name, null when absent). */
    private static final TextMapGetter<java.util.function.UnaryOperator<String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(java.util.function.UnaryOperator<String> carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(java.util.function.UnaryOperator<String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private volatile Tracing tracing = Tracing.OFF;

    void use(Tracing t) {
        this.tracing = t;
    }

    boolean on() {
        return tracing.on();
    }

    /**
     * The request's server span (not current yet), started at {@code startedAt}; ask only once the caller is verified
     * (WebhookPipeline): it continues the caller's traceparent.
     */
    Span request(RequestHead req, String route, java.time.Instant startedAt) {
        return server(req.method(), route, req::header, startedAt, Context.root()).startSpan();
    }

    /**
     * A bot's commit (the caller is verified: CommitRoute asks after its secret): under the traceparent the bot sends
     * (its delivery span's), else under the batch's root, so the commit is in the batch's trace either way.
     */
    Span commit(java.util.function.UnaryOperator<String> header, String batchId) {
        return server("POST", COMMIT_ROUTE, header, java.time.Instant.now(),
                Context.root().with(Span.wrap(tracing.batchRoot(batchId))))
                .setAttribute(BatchSpans.BATCH_ID, batchId).startSpan();
    }

    /** A server span continuing the caller's context, or {@code otherwise} when it sends none. */
    private io.opentelemetry.api.trace.SpanBuilder server(String method, String route,
                                                         java.util.function.UnaryOperator<String> header,
                                                         java.time.Instant startedAt, Context otherwise) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), header, HEADERS);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            parent = otherwise;
        }
        return tracing.tracer().spanBuilder(method + " " + route).setParent(parent).setStartTimestamp(startedAt)
                .setSpanKind(SpanKind.SERVER).setAttribute(METHOD, method).setAttribute(ROUTE, route);
    }

    /** Ends a request's span with the status the exception handlers answer for {@code failure} (null: 200). */
    static void end(Span span, Throwable failure) {
        end(span, failure, 200);
    }

    /** @param answered the status answered when there was no failure */
    static void end(Span span, Throwable failure, int answered) {
        int status = failure == null ? answered : failure instanceof Refused r ? r.status
                : failure instanceof InvalidMessageException ? 400
                : failure instanceof StoreUnavailableException ? 503 : 500;
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(ERROR_TYPE, Integer.toString(status));
        }
        span.end();
    }

    /** A message's append span, a child of the current request span; started, not current. */
    Span append(Message m) {
        return tracing.tracer().spanBuilder("append " + m.conversation().channel()).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(BatchSpans.SYSTEM, "rapidfire").setAttribute(BatchSpans.OPERATION, "send")
                .setAttribute(BatchSpans.DESTINATION, m.conversation().tenant() + "/" + m.conversation().channel())
                .setAttribute(BatchSpans.CONVERSATION, Mask.conversation(m.conversation().key())).startSpan();
    }

    /** Ends an append span with what the store said; the message is traced under it from now on. */
    static void appended(Span span, boolean duplicate, Throwable failure) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        } else {
            span.setAttribute(STORED, duplicate ? "duplicate" : "stored");
        }
        span.end();
    }
}
