package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

/**
 * How one platform proves a request is its own (docs/security.md). Two steps around the body read, so that a forged
 * request costs a header check, not a body read: {@link #headers} first, {@link #body} once the body is in.
 * Used only when the route's secret is set; without it the route is open or closed ({@link RouteProtection}).
 */
interface Verifier {
    /** For people: what is checked, e.g. "Meta's X-Hub-Signature-256". */
    String describe();

    /** Header-only: what is wrong, or null. May count a wrong fixed token against the client. */
    String headers(WebhookRequest req);

    /** Over the body: what is wrong (null if fine) and the replay marks to set once the request is stored. */
    Checked body(WebhookRequest req, BridgeBody.Body body, String tenant);

    /**
     * The signature carries no time, so a captured request stays valid: messages older than the de-duplication window
     * are ignored instead of batched again ({@link RouteProtection#withoutStale}).
     */
    boolean timeless();

    /**
     * The body check reads the store (replay marks, Meta's tenant binding) and sets replay marks after storing: on
     * the event loop's server such a request is checked and stored on the webhook's own threads, not the loop.
     */
    default boolean readsStore() {
        return false;
    }

    /** For a body read as a stream: the HMAC to feed it to as it is read; null when this verifier needs none. */
    default javax.crypto.Mac streamingMac(WebhookRequest req) {
        return null;
    }

    /** A body check's outcome. */
    record Checked(String problem, Signatures.Replay replay) {
        static final Checked FINE = new Checked(null, null);

        static Checked of(String problem, Signatures.Replay ifFine) {
            return problem == null ? new Checked(null, ifFine) : new Checked(problem, null);
        }
    }
}
