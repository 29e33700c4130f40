package io.rapidfire.core;

import java.util.Locale;

/** Where an in-flight batch stands; the wire form is what the Redis state ({@code fstate}) and the APIs show. */
public enum FlightState {
    /** Held by a worker under a lease until {@code untilMs}. */
    LEASED,
    /** Delivery failed; the same batch is offered again at {@code untilMs}. */
    RETRY,
    /**
     * The bot has the batch and will commit later (HTTP 202 with {@code Rapidfire-Commit: later}): still
     * supersedable until it commits or {@code untilMs} (the commit timeout) passes, then it counts as committed.
     */
    AWAITING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FlightState fromWire(String s) {
        return s == null ? LEASED : valueOf(s.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return wire();
    }
}
