package io.rapidfire.http;

import java.io.InputStream;

/**
 * What the webhook stages read of a request, and nothing of Javalin's or Netty's: both servers feed the same stages
 * (ingest's WebhookPipeline) through it ({@link FastRequest}, ingest's JavalinWebhookRequest).
 */
public interface WebhookRequest extends RequestHead {
    /** A query parameter's first value, or null. */
    String query(String name);

    /** The raw query string without '?', or null: signatures cover it as sent. */
    String queryString();

    /** The body, read once by the pipeline within its limits. */
    InputStream body() throws java.io.IOException;

    /** The body within {@code limit} bytes (413 naming {@code setting} beyond it: {@link EdgeRules#readBody}). */
    default byte[] bodyWithin(int limit, String setting) throws java.io.IOException {
        return EdgeRules.readBody(body(), contentLength(), limit, setting);
    }

    /** The declared Content-Length, or -1. */
    long contentLength();

    /** The client's address (the proxy's forwarded one when the peer is a trusted proxy), resolved once. */
    String client();

    /** The path and query as the caller signed them. */
    default String signedUrl() {
        String q = queryString();
        return q == null || q.isEmpty() ? path() : path() + "?" + q;
    }
}
