package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

import io.javalin.http.Context;
import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.JavalinRequests;
import io.rapidfire.http.RequestHead;

import java.io.InputStream;
import java.util.List;

/** A Javalin request as the webhook stages read it ({@link WebhookRequest}). */
final class JavalinWebhookRequest implements WebhookRequest {
    private final Context ctx;
    private final RequestHead head;
    private final String client;

    JavalinWebhookRequest(Context ctx, EdgeRules edge) {
        this.ctx = ctx;
        this.head = JavalinRequests.head(ctx);
        this.client = JavalinRequests.client(ctx, edge);
    }

    public String method() {
        return head.method();
    }

    public String path() {
        return head.path();
    }

    public String peer() {
        return head.peer();
    }

    public String header(String name) {
        return head.header(name);
    }

    public List<String> headers(String name) {
        return head.headers(name);
    }

    public String query(String name) {
        return ctx.queryParam(name);
    }

    public String queryString() {
        return ctx.queryString();
    }

    public InputStream body() throws java.io.IOException {
        return ctx.req().getInputStream();
    }

    public long contentLength() {
        return ctx.req().getContentLengthLong();
    }

    public String client() {
        return client;
    }
}
