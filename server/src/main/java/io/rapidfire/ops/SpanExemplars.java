package io.rapidfire.ops;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The current OpenTelemetry span as the Prometheus client sees it: an observation made while a span is current (a
 * batch's lateness on its delivery span, the added delay on the same) carries that trace as its exemplar, shown in
 * the OpenMetrics exposition, so a slow bucket leads to one slow batch's trace.
 */
final class SpanExemplars implements io.prometheus.metrics.tracer.common.SpanContext {
    @Override
    public String getCurrentTraceId() {
        SpanContext c = Span.current().getSpanContext();
        return c.isValid() ? c.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        SpanContext c = Span.current().getSpanContext();
        return c.isValid() ? c.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        return Span.current().getSpanContext().isSampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {
    }
}
