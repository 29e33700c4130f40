package io.rapidfire.ops.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.rapidfire.core.Mask;

/** {@code %ex} for the text log: exception messages in a stack trace carry identifiers too; they are masked. */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Mask.scrub(super.convert(event));
    }
}
