package io.rapidfire.delivery;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch as one JSON object on one line through the logger {@code rapidfire.batches}
 * (logback.xml prints that logger's messages bare on stdout). The standalone default: you see batches form.
 */
public final class LogSink implements Sink {
    private static final Logger batches = LoggerFactory.getLogger("rapidfire.batches");

    @Override
    public DeliveryOutcome deliver(Batch batch) {
        batches.info(BatchJson.of(batch));
        return DeliveryOutcome.ack("logged");
    }

    @Override
    public String kind() {
        return "log";
    }

    @Override
    public String describe() {
        return "log (one JSON line per batch on stdout)";
    }
}
