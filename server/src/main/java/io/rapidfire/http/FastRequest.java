package io.rapidfire.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

/** A webhook request read whole by the event loop's server ({@link FastRoutes}): its head and its body's bytes. */
public final class FastRequest implements WebhookRequest {
    private final String method;
    private final String uri;
    private final QueryStringDecoder query;
    private final HttpHeaders headers;
    private final String peer;
    private final EdgeRules edge;
    private final byte[] body;
    private final long contentLength;
    private String client;

    FastRequest(String method, String uri, HttpHeaders headers, String peer, EdgeRules edge, byte[] body,
                long contentLength) {
        this.method = method;
        this.uri = uri;
        this.query = new QueryStringDecoder(uri);
        this.headers = headers;
        this.peer = peer;
        this.edge = edge;
        this.body = body;
        this.contentLength = contentLength;
    }

    public String method() {
        return method;
    }

    /** The path as sent, not decoded (as Javalin's {@code ctx.path()}). */
    public String path() {
        return query.rawPath();
    }

    public String peer() {
        return peer;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    /** A query parameter's first value, decoded, or null. */
    public String query(String name) {
        List<String> v = query.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The raw query without '?', or null when there is none. */
    public String queryString() {
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    /** The body as read: at most the route's limit and one byte more. */
    public InputStream body() {
        return new ByteArrayInputStream(body);
    }

    /** The bytes already read, held to the same bound: no second copy. */
    @Override
    public byte[] bodyWithin(int limit, String setting) {
        return EdgeRules.within(body, contentLength, limit, setting);
    }

    /** The declared Content-Length, or -1. */
    public long contentLength() {
        return contentLength;
    }

    /** The client's address ({@link EdgeRules#client}: the forwarded one behind a trusted proxy), resolved once. */
    public String client() {
        if (client == null) {
            client = edge.client(this);
        }
        return client;
    }
}
