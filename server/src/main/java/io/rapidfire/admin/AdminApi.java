package io.rapidfire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Mask;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.HttpServer;

/**
 * The admin JSON the dashboard (/ui) reads and acts through, usable on its own: overview, open conversations
 * (paged in deadline order), flush and clear by conversation key, dead letters (list, show, replay, purge), live
 * processes, lid links and the doctor. Reading follows {@link AdminAccess#read}, acting {@link AdminAccess#act}.
 */
final class AdminApi {
    private final AdminService admin;
    private final AdminAccess access;
    private final String defaultTenant;

    AdminApi(AdminService admin, AdminAccess access, String defaultTenant) {
        this.admin = admin;
        this.access = access;
        this.defaultTenant = defaultTenant;
    }

    void register(HttpServer http) {
        http.route(HandlerType.GET, "/admin/overview", this::overview);
        http.route(HandlerType.GET, "/admin/conversations", this::conversations);
        http.route(HandlerType.POST, "/admin/conversations/{key}/flush", this::flush);
        http.route(HandlerType.DELETE, "/admin/conversations/{key}", this::clear);
        http.route(HandlerType.GET, "/admin/dead-letters", this::deadLetters);
        http.route(HandlerType.GET, "/admin/dead-letters/{batchId}", this::deadLetter);
        http.route(HandlerType.POST, "/admin/dead-letters/{batchId}/replay", this::replay);
        http.route(HandlerType.DELETE, "/admin/dead-letters/{batchId}", this::purge);
        http.route(HandlerType.GET, "/admin/processes", this::processes);
        http.route(HandlerType.GET, "/admin/links/{lid}", this::link);
        http.route(HandlerType.DELETE, "/admin/links/{lid}", this::unlink);
        http.route(HandlerType.POST, "/admin/doctor", this::runDoctor);
    }

    void overview(Context ctx) {
        AdminView view = access.read(ctx);
        StoreCounts c = admin.counts();
        ObjectNode o = Answers.ok();
        o.put("pending", c.pending()).put("inflight", c.inflight()).put("deadLetters", c.deadLetters());
        o.put("numbersShown", view.full()).put("canAct", access.canAct(ctx));
        o.put("store", admin.store());
        o.put("nowMs", admin.nowMs());
        Answers.json(ctx, 200, o);
    }

    /** Open conversations in deadline order, {@code ?page=} (from 0) of {@code ?limit=} (default 50). */
    void conversations(Context ctx) {
        AdminView view = access.read(ctx);
        Paging paging = Params.paging(ctx, 50);
        ObjectNode o = Answers.ok();
        o.put("total", admin.counts().pending()).put("page", paging.page()).put("limit", paging.limit())
                .put("numbersShown", view.full());
        ArrayNode a = o.putArray("conversations");
        for (AdminService.Open p : admin.open(paging, view)) {
            a.addObject().put("key", p.key()).put("tenant", p.tenant()).put("channel", p.channel())
                    .put("messages", p.messages()).put("bytes", p.bytes()).put("ageMs", p.firstMessageAgeMs())
                    .put("quietForMs", p.quietForMs()).put("dueInMs", p.dueInMs()).put("rule", p.rule())
                    .put("typing", p.typing());
        }
        Answers.json(ctx, 200, o);
    }

    void flush(Context ctx) {
        access.act(ctx);
        ConversationRef c = Params.key(ctx);
        if (!admin.flush(c)) {
            throw Answers.notFound(ctx, "conversation " + Mask.conversation(c.key()) + " has no open batch to flush");
        }
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("flushed", true));
    }

    void clear(Context ctx) {
        access.act(ctx);
        ConversationRef c = Params.key(ctx);
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("cleared", admin.clear(c)));
    }

    void deadLetters(Context ctx) {
        AdminView view = access.read(ctx);
        int limit = Params.intParam(ctx, "limit", 50, 1, Paging.MAX_LIMIT);
        ObjectNode o = Answers.ok();
        ArrayNode a = o.putArray("deadLetters");
        admin.deadLetters(limit, view).forEach(d -> a.add(summary(d)));
        Answers.json(ctx, 200, o);
    }

    void deadLetter(Context ctx) {
        AdminView view = access.read(ctx);
        AdminService.Dead d = admin.deadLetter(ctx.pathParam("batchId"), view);
        if (d == null) {
            throw Answers.notFound(ctx, "no dead letter " + Answers.clip(ctx.pathParam("batchId")));
        }
        ObjectNode o = Answers.ok();
        o.set("deadLetter", summary(d));
        o.put("document", d.document());
        Answers.json(ctx, 200, o);
    }

    void replay(Context ctx) {
        access.act(ctx);
        String id = ctx.pathParam("batchId");
        int n = admin.replay(id);
        if (n == 0) {
            throw Answers.notFound(ctx, "no dead letter " + Answers.clip(id) + " to replay");
        }
        Answers.json(ctx, 200, Answers.ok().put("batchId", id).put("replayed", n));
    }

    void purge(Context ctx) {
        access.act(ctx);
        String id = ctx.pathParam("batchId");
        Answers.json(ctx, 200, Answers.ok().put("batchId", id).put("purged", admin.purge(id)));
    }

    void processes(Context ctx) {
        AdminView view = access.read(ctx);
        ObjectNode o = Answers.ok();
        ArrayNode a = o.putArray("processes");
        for (AdminService.Process p : admin.processes(false, view)) {
            a.addObject().put("id", p.info().id()).put("role", p.info().role()).put("pid", p.info().pid())
                    .put("host", p.info().host()).put("version", p.info().version())
                    .put("heartbeatAgoMs", p.seenAgoMs()).put("inFlight", p.info().inFlight())
                    .put("lastError", p.lastError());
        }
        Answers.json(ctx, 200, o);
    }

    /**
     * Which phone a WhatsApp lid is linked to ({@code GET /admin/links/{lid}?tenant=&channel=}; IdentityLinks): what an
     * operator asks when one person shows up as two conversations. A read: the masked view masks the phone.
     */
    void link(Context ctx) {
        AdminView view = access.read(ctx);
        String lid = lidParam(ctx);
        String tenant = Params.tenant(ctx.queryParam("tenant"), defaultTenant, "?tenant=");
        String phone = admin.linked(tenant, channelParam(ctx), lid, view);
        Answers.json(ctx, 200, Answers.ok().put("tenant", tenant).put("lid", lid).put("phone", phone)
                .put("linked", phone != null));
    }

    /** Forgets a lid's pair ({@code DELETE /admin/links/{lid}}): a person who changed numbers. An action. */
    void unlink(Context ctx) {
        access.act(ctx);
        String lid = lidParam(ctx);
        boolean was = admin.unlink(Params.tenant(ctx.queryParam("tenant"), defaultTenant, "?tenant="),
                channelParam(ctx), lid);
        Answers.json(ctx, 200, Answers.ok().put("lid", lid).put("unlinked", was));
    }

    private static String lidParam(Context ctx) {
        String raw = ctx.pathParam("lid");
        String lid = raw.startsWith("lid:") ? raw : "lid:" + raw;
        if (!lid.matches("lid:\\d{3,40}")) {
            throw new BadRequest("'" + Answers.clip(raw) + "' is not a lid: digits, as in lid:1234567890 or "
                    + "1234567890@lid without the suffix");
        }
        return lid;
    }

    private static String channelParam(Context ctx) {
        String c = ctx.queryParam("channel");
        if (c != null && !c.matches("[a-z0-9-]{1,32}")) {
            throw new BadRequest("?channel= must be 1-32 of a-z 0-9 -, got '" + Answers.clip(c) + "'");
        }
        return c == null ? "whatsapp" : c;
    }

    /** Runs the doctor's checklist (it sends a probe message through the deployment): an action. */
    void runDoctor(Context ctx) {
        access.act(ctx);
        JsonNode checks = admin.runDoctor();
        if (checks == null) {
            Answers.error(ctx, 501, "the doctor reads Redis: this process runs on the in-memory store");
            return;
        }
        ObjectNode o = Answers.ok();
        o.set("checks", checks);
        Answers.json(ctx, 200, o);
    }

    private static ObjectNode summary(AdminService.Dead d) {
        // traceId: the batch's trace (docs/operations.md#traces), derived from its id, so it is there for every batch
        return io.rapidfire.core.MessageCodec.JSON.createObjectNode().put("batchId", d.batchId())
                .put("traceId", io.rapidfire.trace.Tracing.batchTraceId(d.batchId())).put("deadAtMs", d.deadAtMs())
                .put("conversation", d.conversation()).put("messages", d.messages()).put("text", d.text())
                .put("reason", d.reason());
    }
}
