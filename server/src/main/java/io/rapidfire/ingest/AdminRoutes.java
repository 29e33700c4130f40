package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.Registry;

import java.util.Comparator;
import java.util.List;

/**
 * Stats, clear, flush and runtime policies, under {@link AdminAccess}: stats and the policy list are reads (shown as
 * the caller's {@link AdminView} allows), the rest are actions.
 */
final class AdminRoutes {
    static final int MAX_LIMIT = 1_000;
    static final int MAX_WINDOW = 10_000;

    private final BatchStore store;
    private final IngestSettings settings;
    private final SenderIdentity identity;
    private final Registry registry;

    private final java.util.function.Supplier<io.rapidfire.core.Policies> policies;

    /** Failed admin attempts per address: {@value #FAILURE_BURST} at once, then one a minute. */
    static final int FAILURE_BURST = FailedAttempts.BURST;
    private final AdminAccess access;

    AdminRoutes(BatchStore store, IngestSettings settings, SenderIdentity identity, Registry registry,
                java.util.function.Supplier<io.rapidfire.core.Policies> policies, AdminAccess access) {
        this.access = access;
        this.policies = policies;
        this.store = store;
        this.settings = settings;
        this.identity = identity;
        this.registry = registry;
    }

    private void authorize(Context ctx) {
        access.act(ctx);
    }


    /**
     * The original's {@code {"success": true, "stats": {"pendingBatches", "batches": [{"phone", "size",
     * "lastMessageAge"}]}}} plus deadlines, release rules, in-flight batches, dead letters and live processes.
     * Paginated with {@code ?limit=} (default 100, at most 1000) and {@code ?page=} (from 0), in deadline order.
     */
    void stats(Context ctx) {
        AdminView view = access.read(ctx);
        int limit = intParam(ctx, "limit", 100, 1, MAX_LIMIT);
        int page = intParam(ctx, "page", 0, 0, MAX_WINDOW);
        if ((long) (page + 1) * limit > MAX_WINDOW) {
            throw new BadRequest("page * limit must stay within the first " + MAX_WINDOW + " pending batches");
        }
        long now = store.nowMs();
        StoreCounts counts = store.counts();
        List<PendingBatch> pending = store.pending((page + 1) * limit).stream()
                .sorted(Comparator.comparingLong(PendingBatch::dueAtMs)).skip((long) page * limit).limit(limit).toList();
        ObjectNode stats = MessageCodec.JSON.createObjectNode();
        stats.put("pendingBatches", counts.pending());
        ArrayNode batches = stats.putArray("batches");
        for (PendingBatch p : pending) {
            ObjectNode b = batches.addObject();
            b.put("phone", view.sender(p.conversation().conversation()));
            b.put("size", p.messages());
            b.put("lastMessageAge", now - p.lastMessageAtMs());
            b.put("tenant", p.conversation().tenant());
            b.put("channel", p.conversation().channel());
            b.put("bytes", p.bytes());
            b.put("firstMessageAge", now - p.firstMessageAtMs());
            b.put("deadline", p.dueAtMs());
            b.put("dueInMs", p.dueAtMs() - now);
            b.put("releaseRule", p.releaseRule().wire());
        }
        stats.put("page", page);
        stats.put("limit", limit);
        stats.put("inflightBatches", counts.inflight());
        ArrayNode inflight = stats.putArray("inflight");
        for (InflightBatch f : store.inflight(limit)) {
            ObjectNode o = inflight.addObject();
            o.put("phone", view.sender(f.conversation().conversation()));
            o.put("tenant", f.conversation().tenant());
            o.put("channel", f.conversation().channel());
            o.put("batchId", f.batchId());
            o.put("attempt", f.attempt());
            o.put("state", f.state().wire());
            o.put("untilInMs", f.untilMs() - now);
            o.put("worker", f.worker());
            o.put("lastError", view.note(f.lastError()));
            o.put("waitingMessages", f.waitingMessages());
        }
        stats.put("deadLetters", counts.deadLetters());
        stats.set("policies", inForce());
        ArrayNode procs = stats.putArray("processes");
        for (ProcessInfo p : registry.live()) {
            procs.addObject().put("id", p.id()).put("role", p.role()).put("pid", p.pid()).put("host", p.host())
                    .put("version", p.version()).put("lastSeenAgoMs", Math.max(0, now - p.lastSeenMs()))
                    .put("inFlight", p.inFlight());
        }
        stats.put("phonesMasked", !view.full());
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("success", true);
        o.set("stats", stats);
        WebhookServer.json(ctx, 200, o);
    }

    void clear(Context ctx) {
        authorize(ctx);
        ConversationRef c = conversation(ctx);
        long dropped = store.clear(c);
        WebhookServer.json(ctx, 200, MessageCodec.JSON.createObjectNode().put("success", true)
                .put("conversation", c.key()).put("cleared", dropped));
    }

    void flush(Context ctx) {
        authorize(ctx);
        ConversationRef c = conversation(ctx);
        boolean had = store.flush(c);
        if (!had) {
            WebhookServer.error(ctx, 404, "conversation " + c.key() + " has no pending messages to flush");
            return;
        }
        WebhookServer.json(ctx, 200, MessageCodec.JSON.createObjectNode().put("success", true)
                .put("conversation", c.key()).put("flushed", true));
    }

    /** Runtime policy overrides: GET lists them; PUT /admin/policies/{tenant|*} with a spec body; DELETE resets. */
    void policies(Context ctx) {
        access.read(ctx);
        ObjectNode o = MessageCodec.JSON.createObjectNode().put("success", true);
        ObjectNode p = o.putObject("overrides");
        store.runtimePolicies().forEach(p::put);
        o.set("inForce", inForce());
        WebhookServer.json(ctx, 200, o);
    }

    /** The release policies this process applies now ("*" the default, then each tenant that has its own). */
    private ObjectNode inForce() {
        io.rapidfire.core.Policies now = policies.get();
        ObjectNode o = MessageCodec.JSON.createObjectNode().put("*", now.defaults().describe());
        new java.util.TreeMap<>(now.tenants()).forEach((t, pol) -> o.put(t, pol.describe()));
        return o;
    }

    void setPolicy(Context ctx) throws java.io.IOException {
        authorize(ctx);
        String tenant = policyTenant(ctx);
        String spec = new String(EdgeRules.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                settings.maxBodyBytes(), "RAPIDFIRE_MAX_BODY_BYTES"), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            io.rapidfire.core.TenantPolicies.apply(io.rapidfire.core.Policy.DEFAULT, spec, tenant);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the body must be a policy spec like quietMs:0,maxMessages:5 (fields "
                    + io.rapidfire.core.TenantPolicies.FIELDS + "): " + e.getMessage());
        }
        store.setRuntimePolicy(tenant, spec);
        WebhookServer.json(ctx, 200, MessageCodec.JSON.createObjectNode().put("success", true).put("tenant", tenant)
                .put("spec", spec).put("inForceWithinMs", 1000));
    }

    void resetPolicy(Context ctx) {
        authorize(ctx);
        String tenant = policyTenant(ctx);
        WebhookServer.json(ctx, 200, MessageCodec.JSON.createObjectNode().put("success", true).put("tenant", tenant)
                .put("removed", store.clearRuntimePolicy(tenant)));
    }

    private static String policyTenant(Context ctx) {
        String t = ctx.pathParam("tenant");
        return t.equals("*") ? t : Fields.tenant(t, "path parameter tenant");
    }

    private ConversationRef conversation(Context ctx) {
        String tenant = ctx.queryParam("companyId");
        if (tenant == null) {
            tenant = settings.defaultTenant();
        }
        return WebhookServer.whatsappConversation(Fields.tenant(tenant, "query parameter companyId"), identity, ctx.pathParam("phone"));
    }

    static int intParam(Context ctx, String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error naming the accepted range
        }
        throw new BadRequest("query parameter " + name + " must be a whole number from " + min + " to " + max);
    }
}
