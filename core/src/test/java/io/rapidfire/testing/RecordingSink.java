package io.rapidfire.testing;

import io.rapidfire.core.Batch;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.Sink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Records every batch it acknowledges (in acknowledgement order) and every attempt it sees. */
public class RecordingSink implements Sink {
    public record Delivery(Batch batch, long atMillis) {
    }

    private final List<Delivery> acked = new ArrayList<>();
    private final List<Batch> attempts = new ArrayList<>();
    private final Function<Batch, DeliveryOutcome> answer;

    public RecordingSink() {
        this(b -> DeliveryOutcome.ack("recorded"));
    }

    public RecordingSink(Function<Batch, DeliveryOutcome> answer) {
        this.answer = answer;
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws Exception {
        synchronized (this) {
            attempts.add(batch);
        }
        DeliveryOutcome o = answer.apply(batch);
        if (o.kind() == DeliveryOutcome.Kind.ACK) {
            synchronized (this) {
                acked.add(new Delivery(batch, System.currentTimeMillis()));
            }
        }
        return o;
    }

    public synchronized List<Delivery> acked() {
        return new ArrayList<>(acked);
    }

    public synchronized List<Batch> attempts() {
        return new ArrayList<>(attempts);
    }

    @Override
    public String describe() {
        return "recording sink";
    }
}
