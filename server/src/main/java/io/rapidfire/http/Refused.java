package io.rapidfire.http;

/**
 * A request refused before anything was stored or changed, on any route: the HTTP status, the reason (the answer's
 * {@code reason} and the {@code rapidfire_requests_rejected_total} label) and a message saying what was wrong and what
 * to change. {@code retryAfterSeconds} > 0 adds {@code Retry-After}. {@link HttpServer} turns it into the answer, so
 * every front end (webhooks, admin, dashboard) refuses the same way.
 */
public class Refused extends RuntimeException {
    public final int status;
    public final String reason;
    public final long retryAfterSeconds;

    public Refused(int status, String reason, String message) {
        this(status, reason, message, 0);
    }

    public Refused(int status, String reason, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 401: credentials missing or wrong. */
    public static Refused unauthorized(String reason, String message) {
        return new Refused(401, reason, message);
    }

    /** 403: this caller may not use the route at all. */
    public static Refused forbidden(String reason, String message) {
        return new Refused(403, reason, message);
    }

    /** 429 with Retry-After: too many attempts of one kind from one address. */
    public static Refused throttled(String reason, long seconds, String message) {
        return new Refused(429, reason, message + "; retry after " + seconds + " s", seconds);
    }
}
