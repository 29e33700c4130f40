package io.rapidfire.ingest;

/**
 * A request refused before anything was stored: the HTTP status, the reason (the answer's {@code reason} and the
 * {@code rapidfire_requests_rejected_total} label) and a message saying what was wrong and what to change.
 * {@code retryAfterSeconds} > 0 adds {@code Retry-After}.
 */
public final class Refused extends RuntimeException {
    final int status;
    final String reason;
    final long retryAfterSeconds;

    Refused(int status, String reason, String message) {
        this(status, reason, message, 0);
    }

    Refused(int status, String reason, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
