package io.rapidfire.delivery;

/**
 * What a sink made of one delivery attempt.
 * ACK: the downstream has the batch (and, for one answer per thought, counts as committed). ACK_LATER: the
 * downstream has it and will commit later (HTTP 202 with {@code Rapidfire-Commit: later}): the batch stays
 * supersedable until it commits or the commit timeout passes. RETRY: try again later ({@code retryAfterMs} > 0 when the downstream
 * said how long, e.g. Retry-After). REJECT: the downstream refused this batch for good (dead-letter now).
 * {@code cause} names a failure in a word or two for metrics (e.g. {@code timeout}, {@code connection},
 * {@code http_503}); {@code detail} says it in full for logs, the store and the doctor. {@code handover}: the bot
 * has the batch and asks for a human (its answer said {@code {"handover": true}}): the worker hands the conversation
 * over for RAPIDFIRE_HANDOVER_MS ({@link io.rapidfire.core.HandoverControl}).
 */
public record DeliveryOutcome(Kind kind, String detail, long retryAfterMs, String cause, boolean handover) {
    public enum Kind { ACK, ACK_LATER, RETRY, REJECT }

    public DeliveryOutcome(Kind kind, String detail, long retryAfterMs, String cause) {
        this(kind, detail, retryAfterMs, cause, false);
    }

    /** This outcome, with the bot asking for a human (only an acknowledgement can: the bot has the batch). */
    public DeliveryOutcome askingForHuman() {
        return kind == Kind.ACK || kind == Kind.ACK_LATER ? new DeliveryOutcome(kind, detail, retryAfterMs, cause, true)
                : this;
    }

    public static DeliveryOutcome ack(String detail) {
        return new DeliveryOutcome(Kind.ACK, detail, 0, "ok");
    }

    public static DeliveryOutcome ackLater(String detail) {
        return new DeliveryOutcome(Kind.ACK_LATER, detail, 0, "ok");
    }

    public static DeliveryOutcome retry(String detail) {
        return retry("error", detail);
    }

    public static DeliveryOutcome retry(String cause, String detail) {
        return new DeliveryOutcome(Kind.RETRY, detail, 0, cause);
    }

    public static DeliveryOutcome retryAfter(String cause, String detail, long ms) {
        return new DeliveryOutcome(Kind.RETRY, detail, ms, cause);
    }

    public static DeliveryOutcome reject(String detail) {
        return reject("refused", detail);
    }

    public static DeliveryOutcome reject(String cause, String detail) {
        return new DeliveryOutcome(Kind.REJECT, detail, 0, cause);
    }
}
