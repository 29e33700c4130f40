package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.Mask;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.Registry;

import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin JSON the dashboard (/ui) reads and acts through, usable on its own: overview, open conversations
 * (paged in deadline order), flush and clear by conversation key, dead letters (list, show, replay, purge), live
 * processes and the doctor. Reading follows {@link AdminAccess#read} and shows what its {@link AdminView} allows,
 * acting {@link AdminAccess#act}.
 */
final class AdminApi {
    static final int MAX_LIMIT = AdminRoutes.MAX_LIMIT;
    static final int MAX_WINDOW = AdminRoutes.MAX_WINDOW;

    private final BatchStore store;
    private final Registry registry;
    private final AdminAccess access;
    private final String defaultTenant;
    private volatile Supplier<JsonNode> doctor;

    AdminApi(BatchStore store, Registry registry, AdminAccess access, String defaultTenant) {
        this.store = store;
        this.registry = registry;
        this.access = access;
        this.defaultTenant = defaultTenant;
    }

    /** The doctor's checks as JSON; set by the process when it runs on Redis (the doctor reads Redis). */
    void doctor(Supplier<JsonNode> runner) {
        this.doctor = runner;
    }

    void overview(Context ctx) {
        AdminView view = access.read(ctx);
        StoreCounts c = store.counts();
        ObjectNode o = ok();
        o.put("pending", c.pending()).put("inflight", c.inflight()).put("deadLetters", c.deadLetters());
        o.put("numbersShown", view.full()).put("canAct", access.canAct(ctx));
        o.put("store", store.describe()); // RedisConnector.describe never shows a password
        o.put("nowMs", store.nowMs());
        WebhookServer.json(ctx, 200, o);
    }

    /** Open conversations in deadline order, {@code ?page=} (from 0) of {@code ?limit=} (default 50). */
    void conversations(Context ctx) {
        AdminView view = access.read(ctx);
        int limit = AdminRoutes.intParam(ctx, "limit", 50, 1, MAX_LIMIT);
        int page = AdminRoutes.intParam(ctx, "page", 0, 0, MAX_WINDOW);
        if ((long) (page + 1) * limit > MAX_WINDOW) {
            throw new BadRequest("page * limit must stay within the first " + MAX_WINDOW + " open conversations");
        }
        long now = store.nowMs();
        List<PendingBatch> rows = store.pending((page + 1) * limit).stream()
                .sorted(Comparator.comparingLong(PendingBatch::dueAtMs)).skip((long) page * limit).limit(limit).toList();
        ObjectNode o = ok();
        o.put("total", store.counts().pending()).put("page", page).put("limit", limit).put("numbersShown", view.full());
        ArrayNode a = o.putArray("conversations");
        for (PendingBatch p : rows) {
            ConversationRef c = p.conversation();
            a.addObject().put("key", view.conversationKey(c.key())).put("tenant", c.tenant())
                    .put("channel", c.channel()).put("messages", p.messages()).put("bytes", p.bytes())
                    .put("ageMs", Math.max(0, now - p.firstMessageAtMs()))
                    .put("quietForMs", Math.max(0, now - p.lastMessageAtMs()))
                    .put("dueInMs", p.dueAtMs() - now)
                    .put("rule", p.releaseRule() == null ? null : p.releaseRule().wire())
                    .put("typing", p.typing());
        }
        WebhookServer.json(ctx, 200, o);
    }

    void flush(Context ctx) {
        access.act(ctx);
        ConversationRef c = key(ctx);
        if (!store.flush(c)) {
            WebhookServer.error(ctx, 404, "conversation " + Mask.conversation(c.key()) + " has no open batch to flush");
            return;
        }
        WebhookServer.json(ctx, 200, ok().put("conversation", c.key()).put("flushed", true));
    }

    void clear(Context ctx) {
        access.act(ctx);
        ConversationRef c = key(ctx);
        WebhookServer.json(ctx, 200, ok().put("conversation", c.key()).put("cleared", store.clear(c)));
    }

    void deadLetters(Context ctx) {
        AdminView view = access.read(ctx);
        int limit = AdminRoutes.intParam(ctx, "limit", 50, 1, MAX_LIMIT);
        ObjectNode o = ok();
        ArrayNode a = o.putArray("deadLetters");
        for (DeadLetter d : store.deadLetters(limit)) {
            a.add(summary(d, view));
        }
        WebhookServer.json(ctx, 200, o);
    }

    void deadLetter(Context ctx) {
        AdminView view = access.read(ctx);
        DeadLetter d = store.deadLetter(ctx.pathParam("batchId"));
        if (d == null) {
            WebhookServer.error(ctx, 404, "no dead letter " + SenderIdentity.clip(ctx.pathParam("batchId")));
            return;
        }
        ObjectNode o = ok();
        o.set("deadLetter", summary(d, view));
        o.put("document", view.full() ? d.json() : view.batchDocument(d.tree()).toString());
        WebhookServer.json(ctx, 200, o);
    }

    void replay(Context ctx) {
        access.act(ctx);
        String id = ctx.pathParam("batchId");
        int n = store.replayDeadLetter(id);
        if (n == 0) {
            WebhookServer.error(ctx, 404, "no dead letter " + SenderIdentity.clip(id) + " to replay");
            return;
        }
        WebhookServer.json(ctx, 200, ok().put("batchId", id).put("replayed", n));
    }

    void purge(Context ctx) {
        access.act(ctx);
        String id = ctx.pathParam("batchId");
        WebhookServer.json(ctx, 200, ok().put("batchId", id).put("purged", store.purgeDeadLetter(id)));
    }

    void processes(Context ctx) {
        AdminView view = access.read(ctx);
        long now = store.nowMs();
        ObjectNode o = ok();
        ArrayNode a = o.putArray("processes");
        for (ProcessInfo p : registry.live()) {
            a.addObject().put("id", p.id()).put("role", p.role()).put("pid", p.pid()).put("host", p.host())
                    .put("version", p.version()).put("heartbeatAgoMs", Math.max(0, now - p.lastSeenMs()))
                    .put("inFlight", p.inFlight()).put("lastError", view.note(p.lastError()));
        }
        WebhookServer.json(ctx, 200, o);
    }

    /**
     * Which phone a WhatsApp lid is linked to ({@code GET /admin/links/{lid}?tenant=&channel=}; IdentityLinks): what an
     * operator asks when one person shows up as two conversations. A read: the masked view masks the phone.
     */
    void link(Context ctx) {
        AdminView view = access.read(ctx);
        String lid = lidParam(ctx);
        String tenant = tenantParam(ctx);
        String phone = store.linked(tenant, IdentityLinks.alias(channelParam(ctx), lid));
        ObjectNode o = ok();
        o.put("tenant", tenant).put("lid", lid).put("phone", phone == null ? null : view.sender(phone))
                .put("linked", phone != null);
        WebhookServer.json(ctx, 200, o);
    }

    /** Forgets a lid's pair ({@code DELETE /admin/links/{lid}}): a person who changed numbers. An action. */
    void unlink(Context ctx) {
        access.act(ctx);
        String lid = lidParam(ctx);
        boolean was = store.unlink(tenantParam(ctx), IdentityLinks.alias(channelParam(ctx), lid));
        WebhookServer.json(ctx, 200, ok().put("lid", lid).put("unlinked", was));
    }

    private static String lidParam(Context ctx) {
        String raw = ctx.pathParam("lid");
        String lid = raw.startsWith("lid:") ? raw : "lid:" + raw;
        if (!lid.matches("lid:\\d{3,40}")) {
            throw new BadRequest("'" + SenderIdentity.clip(raw) + "' is not a lid: digits, as in lid:1234567890 or "
                    + "1234567890@lid without the suffix");
        }
        return lid;
    }

    private String tenantParam(Context ctx) {
        String t = ctx.queryParam("tenant");
        if (t == null) {
            return defaultTenant;
        }
        if (!t.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new BadRequest("?tenant= must be 1-64 of A-Z a-z 0-9 . _ -, got '" + SenderIdentity.clip(t) + "'");
        }
        return t;
    }

    private static String channelParam(Context ctx) {
        String c = ctx.queryParam("channel");
        if (c != null && !c.matches("[a-z0-9-]{1,32}")) {
            throw new BadRequest("?channel= must be 1-32 of a-z 0-9 -, got '" + SenderIdentity.clip(c) + "'");
        }
        return c == null ? "whatsapp" : c;
    }

    /** Runs the doctor's checklist (it sends a probe message through the deployment): an action. */
    void runDoctor(Context ctx) {
        access.act(ctx);
        Supplier<JsonNode> d = doctor;
        if (d == null) {
            WebhookServer.error(ctx, 501, "the doctor reads Redis: this process runs on the in-memory store");
            return;
        }
        ObjectNode o = ok();
        o.set("checks", d.get());
        WebhookServer.json(ctx, 200, o);
    }

    private static ObjectNode summary(DeadLetter d, AdminView view) {
        ObjectNode s = MessageCodec.JSON.createObjectNode().put("batchId", d.batchId()).put("deadAtMs", d.deadAtMs());
        String key = d.conversation().key();
        JsonNode doc = d.tree();
        s.put("conversation", view.conversationKey(key));
        s.put("messages", d.size());
        s.put("text", view.text(doc.path("text").asText()));
        s.put("reason", view.note(d.reason()));
        return s;
    }

    private static ConversationRef key(Context ctx) {
        try {
            return ConversationRef.parseKey(ctx.pathParam("key"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the path must name a conversation key tenant:channel:conversation, e.g. "
                    + "default:whatsapp:+79001234567 (URL-encoded)");
        }
    }

    private static ObjectNode ok() {
        return MessageCodec.JSON.createObjectNode().put("success", true);
    }
}
