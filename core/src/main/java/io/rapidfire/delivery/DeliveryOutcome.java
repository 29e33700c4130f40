package io.rapidfire.delivery;

/**
 * What a sink made of one delivery attempt.
 * ACK: the downstream has the batch. RETRY: try again later ({@code retryAfterMs} > 0 when the downstream
 * said how long, e.g. Retry-After). REJECT: the downstream refused this batch for good (dead-letter now).
 */
public record DeliveryOutcome(Kind kind, String detail, long retryAfterMs) {
    public enum Kind { ACK, RETRY, REJECT }

    public static DeliveryOutcome ack(String detail) {
        return new DeliveryOutcome(Kind.ACK, detail, 0);
    }

    public static DeliveryOutcome retry(String detail) {
        return new DeliveryOutcome(Kind.RETRY, detail, 0);
    }

    public static DeliveryOutcome retryAfter(String detail, long ms) {
        return new DeliveryOutcome(Kind.RETRY, detail, ms);
    }

    public static DeliveryOutcome reject(String detail) {
        return new DeliveryOutcome(Kind.REJECT, detail, 0);
    }
}
