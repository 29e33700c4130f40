package io.rapidfire.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.HttpServer;

/**
 * Finding a conversation and replaying dead letters in bulk, for operators and the dashboard:
 * {@code GET /admin/search?q=} (a contact's number or id, part of a conversation key, a batch id) and
 * {@code POST /admin/dead-letters/replay?confirm=true[&q=]} (all of them, or those the search finds). The bulk
 * replay asks for {@code confirm=true} so that a stray request cannot put thousands of batches back by accident.
 */
final class SearchApi {
    private final AdminService admin;
    private final AdminAccess access;

    SearchApi(AdminService admin, AdminAccess access) {
        this.admin = admin;
        this.access = access;
    }

    void register(HttpServer http) {
        http.route(HandlerType.GET, "/admin/search", this::search);
        http.route(HandlerType.POST, "/admin/dead-letters/replay", this::replayAll);
    }

    /**
     * Searching needs the right to act: a search by part of a number would let a read-only caller rebuild a masked
     * number digit by digit. The answer is in the caller's view (masked for a trusted caller without a token).
     */
    void search(Context ctx) {
        access.act(ctx);
        AdminView view = access.read(ctx);
        String q = text(ctx, true);
        int limit = Params.intParam(ctx, "limit", 50, 1, Paging.MAX_LIMIT);
        AdminService.Found f = admin.search(q, limit, view);
        ObjectNode o = Answers.ok().put("q", q).put("numbersShown", view.full());
        ArrayNode conv = o.putArray("conversations");
        f.conversations().forEach(h -> conv.addObject().put("key", h.key()).put("tenant", h.tenant())
                .put("channel", h.channel()).put("inFlight", h.inFlight()).put("batchId", h.batchId())
                .put("traceId", h.batchId() == null ? null : io.rapidfire.trace.Tracing.batchTraceId(h.batchId())));
        ArrayNode dead = o.putArray("deadLetters");
        f.deadLetters().forEach(d -> dead.addObject().put("batchId", d.batchId())
                .put("traceId", io.rapidfire.trace.Tracing.batchTraceId(d.batchId())).put("conversation", d.conversation())
                .put("messages", d.messages()).put("reason", d.reason()));
        Answers.json(ctx, 200, o);
    }

    void replayAll(Context ctx) {
        access.act(ctx);
        if (!"true".equals(ctx.queryParam("confirm"))) {
            throw new BadRequest("replaying dead letters in bulk needs ?confirm=true (and ?q= to replay only those a "
                    + "search finds: a batch id, or part of a conversation key); one dead letter: POST "
                    + "/admin/dead-letters/{batchId}/replay");
        }
        String q = text(ctx, false);
        Answers.json(ctx, 200, Answers.ok().put("q", q).put("replayed", admin.replayAll(q)));
    }

    /** The search text: 2 to 128 characters (a shorter one matches nearly everything). */
    private static String text(Context ctx, boolean required) {
        String q = ctx.queryParam("q");
        if (q == null && !required) {
            return null;
        }
        q = q == null ? "" : q.strip();
        if (q.length() < 2 || q.length() > 128) {
            throw new BadRequest("q is what to look for, 2 to 128 characters: a contact's number or id, part of a "
                    + "conversation key (tenant:channel:conversation) or a batch id (got " + q.length() + " characters)");
        }
        return q;
    }
}
