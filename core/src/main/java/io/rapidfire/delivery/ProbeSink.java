package io.rapidfire.delivery;

import io.rapidfire.core.Batch;
import io.rapidfire.core.Message;
import io.rapidfire.core.SharedState;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Keeps the doctor's probe from the bot: a probe batch ({@link Probe}) is answered ACK here and leaves a mark per
 * message that the doctor looks for; every other batch goes to the wrapped sink. A worker of a deployment that
 * the doctor checks delivers through this wrapper (the server wires it); an embedded worker without it would hand
 * a probe batch (tenant {@value Probe#TENANT}) to its sink.
 */
public final class ProbeSink implements Sink {
    private final Sink next;
    private final SharedState marks;

    public ProbeSink(Sink next, SharedState marks) {
        this.next = next;
        this.marks = marks;
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws Exception {
        if (!Probe.is(batch)) {
            return next.deliver(batch);
        }
        return acknowledgeProbe(batch);
    }

    @Override
    public CompletableFuture<DeliveryOutcome> deliverAsync(Batch batch, Executor blocking) {
        if (!Probe.is(batch)) {
            return next.deliverAsync(batch, blocking);
        }
        return CompletableFuture.supplyAsync(() -> acknowledgeProbe(batch), blocking);
    }

    private DeliveryOutcome acknowledgeProbe(Batch batch) {
        for (Message m : batch.messages()) {
            marks.markOnce(Probe.ackMark(m.id()), Probe.MARK_TTL_MS);
        }
        return DeliveryOutcome.ack("probe: released and acknowledged, not handed to " + next.describe());
    }

    @Override
    public String kind() {
        return next.kind();
    }

    @Override
    public String describe() {
        return next.describe();
    }

    @Override
    public void close() {
        next.close();
    }
}
