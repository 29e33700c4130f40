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

    @SuppressWarnings("unchecked")
    private static <T> T masked(T target, Class<T> type) {
        if (target == null) {
            return null;
        }
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Object v = method.invoke(target, args);
            return switch (method.getName()) {
                case "getFormattedMessage", "getMessage" -> Mask.scrub((String) v);
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
