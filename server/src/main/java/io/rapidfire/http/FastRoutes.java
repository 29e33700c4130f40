package io.rapidfire.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletableFuture;

/**
 * The routes {@link HttpServer} serves on its event loop instead of handing them to Javalin: the webhooks. A request is
 * read, checked, stored and answered on one Netty thread; everything else (admin, dashboard, health, metrics, the bots'
 * commits, a bridge's body too large to hold) goes to Javalin as before. Implemented by the webhook side, which
 * knows its routes; this package knows none of them.
 */
public interface FastRoutes {
    /**
     * The route serving this request head, or null to leave it to Javalin (its answers, its 404). Runs on an event
     * loop: it must not block.
     *
     * @param contentLength the declared Content-Length, -1 when chunked
     */
    Match match(String method, String path, long contentLength);

    /** One route served on the event loop. */
    interface Match {
        /** The body is read up to this many bytes (and one more, so the route can say it was too large). */
        int maxBodyBytes();

        /**
         * Checks and stores the request; the future completes with the 200 answer's body, or fails with what the
         * Javalin routes throw ({@link Refused}, a store fault...), answered by the same rules. Called on the event
         * loop: it must not block (work that must is handed to threads of the route's own).
         */
        CompletableFuture<JsonNode> handle(FastRequest request);
    }
}
