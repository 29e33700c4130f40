package io.rapidfire.delivery;

import io.rapidfire.core.Batch;

/**
 * The doctor's end-to-end probe: a message to a reserved conversation that a worker releases and acknowledges
 * like any other, but without handing it to the downstream; instead it leaves a mark the doctor looks for.
 */
public final class Probe {
    public static final String TENANT = "_rapidfire";
    public static final String CHANNEL = "probe";
    public static final long MARK_TTL_MS = 600_000;

    private Probe() {
    }

    public static boolean is(Batch b) {
        return TENANT.equals(b.conversation().tenant()) && CHANNEL.equals(b.conversation().channel());
    }

    /** The mark a worker leaves for each probe message it acknowledged. */
    public static String ackMark(String messageId) {
        return "probe-ack:" + messageId;
    }
}
