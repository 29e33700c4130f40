package io.rapidfire.ops.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.rapidfire.core.Mask;

import java.lang.reflect.Proxy;

/**
 * The JSON log (RAPIDFIRE_LOG_FORMAT=json): logback's JsonEncoder, given an event whose formatted message and
 * exception messages are masked ({@link Mask#scrub}), so both log formats mask the same way.
 */
public final class MaskingJsonEncoder extends JsonEncoder {
    @Override
    public byte[] encode(ILoggingEvent event) {
        return super.encode(masked(event, ILoggingEvent.class));
    }

    /**
     * The MDC plus {@code trace_id} and {@code span_id} of the span current while the line was written (the appender
     * writes on the logging thread, so the current span is the one the line belongs to).
     */
    static java.util.Map<String, String> withTrace(java.util.Map<String, String> mdc) {
        io.opentelemetry.api.trace.SpanContext c = io.opentelemetry.api.trace.Span.current().getSpanContext();
        if (!c.isValid()) {
            return mdc;
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>(mdc == null ? java.util.Map.of() : mdc);
        out.put("trace_id", c.getTraceId());
        out.put("span_id", c.getSpanId());
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T masked(T target, Class<T> type) {
        if (target == null) {
            return null;
        }
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Object v = method.invoke(target, args);
            return switch (method.getName()) {
                case "getFormattedMessage", "getMessage" -> Mask.scrub((String) v);
                case "getMDCPropertyMap", "getMdc" -> withTrace((java.util.Map<String, String>) v);
                case "getThrowableProxy", "getCause" -> masked((IThrowableProxy) v, IThrowableProxy.class);
                case "getSuppressed" -> {
                    IThrowableProxy[] s = (IThrowableProxy[]) v;
                    IThrowableProxy[] out = new IThrowableProxy[s.length];
                    for (int i = 0; i < s.length; i++) {
                        out[i] = masked(s[i], IThrowableProxy.class);
                    }
                    yield out;
                }
                default -> v;
            };
        });
    }
}
