package io.rapidfire.http;

import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;

/** Javalin's request seen as a {@link RequestHead}, and the client address resolved once per request. */
public final class JavalinRequests {
    private static final String CLIENT = "rapidfire.client";

    private JavalinRequests() {
    }

    public static RequestHead head(Context ctx) {
        return new RequestHead() {
            @Override
            public String method() {
                return ctx.method().name();
            }

            @Override
            public String path() {
                return ctx.path();
            }

            @Override
            public String peer() {
                return ctx.req().getRemoteAddr();
            }

            @Override
            public String header(String name) {
                return ctx.header(name);
            }

            @Override
            public List<String> headers(String name) {
                var e = ctx.req().getHeaders(name);
                return e == null ? List.of() : Collections.list(e);
            }
        };
    }

    /** The client's address by {@link EdgeRules#client}, computed once per request. */
    public static String client(Context ctx, EdgeRules edge) {
        String c = ctx.attribute(CLIENT);
        if (c == null) {
            c = edge.client(head(ctx));
            ctx.attribute(CLIENT, c);
        }
        return c;
    }
}
