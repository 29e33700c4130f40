package io.rapidfire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rapidfire.core.MessageCodec;

/** How every front end answers in JSON: the one place that writes a body, so all answers look and cache alike. */
public final class Answers {
    private Answers() {
    }

    /** Every JSON answer's type and caching: for this caller only, never stored by a cache (both servers use them). */
    static final String TYPE = "application/json";
    static final String CACHE_CONTROL = "no-store";

    /** Every JSON answer (webhook answers, admin data, refusals) is for this caller only: never stored by a cache. */
    public static void json(Context ctx, int status, JsonNode o) {
        ctx.status(status).contentType(TYPE).header("Cache-Control", CACHE_CONTROL).result(o.toString());
    }

    /** {@code {"success": false, "error": message}}: a miss (404, 501) that is not a refusal of the caller. */
    public static void error(Context ctx, int status, String message) {
        json(ctx, status, MessageCodec.JSON.createObjectNode().put("success", false).put("error", message));
    }

    /** {@code {"success": false, "reason", "error"}}: a refusal ({@link Refused}), as {@link HttpServer} writes it. */
    static ObjectNode refusal(String reason, String message) {
        return MessageCodec.JSON.createObjectNode().put("success", false).put("reason", reason).put("error", message);
    }

    /** {@code {"success": true}} to add fields to. */
    public static ObjectNode ok() {
        return MessageCodec.JSON.createObjectNode().put("success", true);
    }

    /** A 404 whose text the server's 404 handler writes (Javalin's NotFoundResponse ends the request). */
    public static io.javalin.http.NotFoundResponse notFound(Context ctx, String message) {
        ctx.attribute(HttpServer.NOT_FOUND, message);
        return new io.javalin.http.NotFoundResponse();
    }

    /** Caller-supplied text quoted in an error: control characters replaced, cut at 60 characters (enough to recognise). */
    public static String clip(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 60) + "…" : t;
    }
}
