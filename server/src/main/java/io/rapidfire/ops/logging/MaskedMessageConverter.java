package io.rapidfire.ops.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.rapidfire.core.Mask;

/** {@code %msg} for the text log: the formatted message with every identifier masked ({@link Mask#scrub}). */
public final class MaskedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Mask.scrub(super.convert(event));
    }
}
