package io.rapidfire.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.core.TenantPolicies;
import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.HttpServer;

import java.util.function.BiFunction;

/**
 * The original's admin routes, same paths and answers: stats, clear and flush by phone, and the runtime policies;
 * under {@link AdminAccess} (stats and the policy list are reads, shown as the caller's {@link AdminView} allows).
 */
final class AdminRoutes {
    /** Failed admin attempts per address: {@value #FAILURE_BURST} at once, then one a minute. */
    static final int FAILURE_BURST = io.rapidfire.http.FailedAttempts.BURST;

    private final AdminService admin;
    private final AdminAccess access;
    private final String defaultTenant;
    private final int maxBodyBytes;
    private final BiFunction<String, String, ConversationRef> whatsapp;

    AdminRoutes(AdminService admin, AdminAccess access, String defaultTenant, int maxBodyBytes,
                BiFunction<String, String, ConversationRef> whatsapp) {
        this.admin = admin;
        this.access = access;
        this.defaultTenant = defaultTenant;
        this.maxBodyBytes = maxBodyBytes;
        this.whatsapp = whatsapp;
    }

    void register(HttpServer http) {
        http.route(HandlerType.GET, "/webhook/whatsapp/batched/stats", this::stats);
        http.route(HandlerType.DELETE, "/webhook/whatsapp/batched/{phone}", this::clear);
        http.route(HandlerType.POST, "/webhook/whatsapp/batched/{phone}/flush", this::flush);
        http.route(HandlerType.GET, "/admin/policies", this::policies);
        http.route(HandlerType.PUT, "/admin/policies/{tenant}", this::setPolicy);
        http.route(HandlerType.DELETE, "/admin/policies/{tenant}", this::resetPolicy);
    }

    /**
     * The original's {@code {"success": true, "stats": {"pendingBatches", "batches": [{"phone", "size",
     * "lastMessageAge"}]}}} plus deadlines, release rules, in-flight batches, dead letters and live processes.
     * Paginated with {@code ?limit=} (default 100) and {@code ?page=} (from 0), in deadline order.
     */
    void stats(Context ctx) {
        AdminView view = access.read(ctx);
        Paging paging = Params.paging(ctx, 100);
        var counts = admin.counts();
        ObjectNode stats = MessageCodec.JSON.createObjectNode();
        stats.put("pendingBatches", counts.pending());
        ArrayNode batches = stats.putArray("batches");
        for (AdminService.Open p : admin.open(paging, view)) {
            batches.addObject().put("phone", p.sender()).put("size", p.messages()).put("lastMessageAge", p.quietForMs())
                    .put("tenant", p.tenant()).put("channel", p.channel()).put("bytes", p.bytes())
                    .put("firstMessageAge", p.firstMessageAgeMs()).put("deadline", p.dueAtMs())
                    .put("dueInMs", p.dueInMs()).put("releaseRule", p.rule());
        }
        stats.put("page", paging.page());
        stats.put("limit", paging.limit());
        stats.put("inflightBatches", counts.inflight());
        ArrayNode inflight = stats.putArray("inflight");
        for (AdminService.InFlight f : admin.inflight(paging.limit(), view)) {
            inflight.addObject().put("phone", f.sender()).put("tenant", f.tenant()).put("channel", f.channel())
                    .put("batchId", f.batchId()).put("traceId", io.rapidfire.trace.Tracing.batchTraceId(f.batchId()))
                    .put("attempt", f.attempt()).put("state", f.state())
                    .put("untilInMs", f.untilInMs()).put("worker", f.worker()).put("lastError", f.lastError())
                    .put("waitingMessages", f.waitingMessages());
        }
        stats.put("deadLetters", counts.deadLetters());
        stats.set("policies", inForce());
        ArrayNode procs = stats.putArray("processes");
        for (AdminService.Process p : admin.processes(false, view)) {
            procs.addObject().put("id", p.info().id()).put("role", p.info().role()).put("pid", p.info().pid())
                    .put("host", p.info().host()).put("version", p.info().version()).put("lastSeenAgoMs", p.seenAgoMs())
                    .put("inFlight", p.info().inFlight());
        }
        stats.put("phonesMasked", !view.full());
        ObjectNode o = Answers.ok();
        o.set("stats", stats);
        Answers.json(ctx, 200, o);
    }

    void clear(Context ctx) {
        access.act(ctx);
        ConversationRef c = conversation(ctx);
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("cleared", admin.clear(c)));
    }

    void flush(Context ctx) {
        access.act(ctx);
        ConversationRef c = conversation(ctx);
        if (!admin.flush(c)) {
            throw Answers.notFound(ctx, "conversation " + c.key() + " has no pending messages to flush");
        }
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("flushed", true));
    }

    /** Runtime policy overrides: GET lists them; PUT /admin/policies/{tenant|*} with a spec body; DELETE resets. */
    void policies(Context ctx) {
        AdminView view = access.read(ctx);
        ObjectNode o = Answers.ok();
        ObjectNode p = o.putObject("overrides");
        admin.overrides().forEach(p::put);
        o.set("inForce", inForce());
        com.fasterxml.jackson.databind.node.ArrayNode conv = o.putArray("conversations");
        admin.conversations().policies(view).forEach(c -> conv.addObject().put("key", c.key()).put("spec", c.spec())
                .put("untilMs", c.untilMs() < 0 ? null : c.untilMs()).put("inForce", c.policy().describe()));
        Answers.json(ctx, 200, o);
    }

    private ObjectNode inForce() {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        admin.inForce().forEach((t, pol) -> o.put(t, pol.describe()));
        return o;
    }

    void setPolicy(Context ctx) throws java.io.IOException {
        access.act(ctx);
        String tenant = policyTenant(ctx);
        String spec = new String(EdgeRules.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                maxBodyBytes, "RAPIDFIRE_MAX_BODY_BYTES"), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            admin.setPolicy(tenant, spec, Policy.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the body must be a policy spec like quietMs:0,maxMessages:5 (fields "
                    + TenantPolicies.FIELDS + "): " + e.getMessage());
        }
        Answers.json(ctx, 200, Answers.ok().put("tenant", tenant).put("spec", spec).put("inForceWithinMs", 1000));
    }

    void resetPolicy(Context ctx) {
        access.act(ctx);
        String tenant = policyTenant(ctx);
        Answers.json(ctx, 200, Answers.ok().put("tenant", tenant).put("removed", admin.resetPolicy(tenant)));
    }

    private static String policyTenant(Context ctx) {
        String t = ctx.pathParam("tenant");
        return t.equals("*") ? t : Params.tenant(t, null, "path parameter tenant");
    }

    private ConversationRef conversation(Context ctx) {
        String tenant = Params.tenant(ctx.queryParam("companyId"), defaultTenant, "query parameter companyId");
        return whatsapp.apply(tenant, ctx.pathParam("phone"));
    }
}
