package io.rapidfire.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Whether this process traces, and the few W3C trace-context facts Rapidfire's spans share. Off ({@link #OFF}) no
 * span is built at all: every caller asks {@link #on()} first, so tracing off costs a field read per message.
 *
 * <p>A batch's trace is named after its batchId: trace id and root span id are derived from it
 * ({@link #batchTraceId}), so every attempt to deliver it, in whichever worker process and after whichever crash,
 * lands in the same trace under the same root, and an operator finds the trace of a dead letter from its batchId
 * alone. The SDK makes a span with those ids through {@link Roots}, which the server's SDK setup provides.
 */
public final class Tracing {
    /** Starts spans with given ids and knows whether the sampler keeps a trace; the SDK side of {@link Tracing}. */
    public interface Roots {
        /** Starts {@code builder}'s span as a root with exactly these ids. */
        Span start(SpanBuilder builder, String traceId, String spanId);

        /** Whether the sampler keeps a root span of this trace (the same answer every time for one trace id). */
        boolean sampled(String traceId);
    }

    public static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null);
    static final String SCOPE = "io.rapidfire";

    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final Roots roots;

    private Tracing(OpenTelemetry otel, Roots roots) {
        this.otel = otel;
        this.tracer = otel.getTracer(SCOPE);
        this.roots = roots;
    }

    /** Tracing with this SDK; {@code roots} makes the batch roots' derived ids (see the class comment). */
    public static Tracing of(OpenTelemetry otel, Roots roots) {
        return new Tracing(otel, roots);
    }

    public boolean on() {
        return roots != null;
    }

    public Tracer tracer() {
        return tracer;
    }

    public OpenTelemetry openTelemetry() {
        return otel;
    }

    /** Starts the root span of a batch's trace (its first delivery attempt). */
    Span startBatchRoot(SpanBuilder builder, String batchId) {
        return roots.start(builder, batchTraceId(batchId), batchRootSpanId(batchId));
    }

    /** The root span of a batch's trace, as a remote parent for a later attempt or a commit. */
    public SpanContext batchRoot(String batchId) {
        String traceId = batchTraceId(batchId);
        return SpanContext.createFromRemoteParent(traceId, batchRootSpanId(batchId),
                roots.sampled(traceId) ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    }

    /** The trace id of a batch's trace: the first 16 bytes of SHA-256("rapidfire-batch:" + batchId), as hex. */
    public static String batchTraceId(String batchId) {
        return HexFormat.of().formatHex(digest(batchId), 0, 16);
    }

    static String batchRootSpanId(String batchId) {
        return HexFormat.of().formatHex(digest(batchId), 16, 24);
    }

    private static byte[] digest(String batchId) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("rapidfire-batch:" + batchId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * The current span's W3C context (traceparent, tracestate when there is one) for a downstream carrier: the HTTP
     * sink's headers, the BullMQ job's telemetry metadata, the stream entry's fields. Empty without a current span.
     */
    public static java.util.Map<String, String> currentContext() {
        if (!Span.current().getSpanContext().isValid()) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> carrier = new java.util.LinkedHashMap<>(2);
        io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()
                .inject(io.opentelemetry.context.Context.current(), carrier, (c, k, v) -> c.put(k, v));
        return carrier;
    }

    /** The W3C traceparent of a span context ("00-trace-span-flags"), null when it is not valid. */
    public static String traceparent(SpanContext c) {
        return c == null || !c.isValid() ? null
                : "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    private static final java.util.regex.Pattern TRACEPARENT =
            java.util.regex.Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    /** A stored traceparent back as a remote span context; invalid when it is null or not a version-00 traceparent. */
    public static SpanContext fromTraceparent(String tp) {
        if (tp == null || !TRACEPARENT.matcher(tp).matches()) {
            return SpanContext.getInvalid();
        }
        return SpanContext.createFromRemoteParent(tp.substring(3, 35), tp.substring(36, 52),
                TraceFlags.fromHex(tp, 53), TraceState.getDefault());
    }
}
