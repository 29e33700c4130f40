package io.rapidfire.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Handover;
import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.HttpServer;

/**
 * Handing a conversation to a human and back, for operators and the dashboard (docs/operations.md):
 * {@code GET /admin/handovers}, {@code GET|POST|DELETE /admin/conversations/{key}/handover}. A start takes one of
 * {@code ?for=30m} (s, m, h, d or ms; up to a week), {@code ?untilMs=<store time>} or {@code ?forever=true} (bot
 * off); it works for a contact who has not written yet. Reading follows {@link AdminAccess#read}, acting
 * {@link AdminAccess#act}.
 */
final class HandoverApi {
    private final AdminService admin;
    private final AdminAccess access;

    HandoverApi(AdminService admin, AdminAccess access) {
        this.admin = admin;
        this.access = access;
    }

    void register(HttpServer http) {
        http.route(HandlerType.GET, "/admin/handovers", this::list);
        http.route(HandlerType.GET, "/admin/conversations/{key}/handover", this::show);
        http.route(HandlerType.POST, "/admin/conversations/{key}/handover", this::start);
        http.route(HandlerType.DELETE, "/admin/conversations/{key}/handover", this::end);
    }

    void list(Context ctx) {
        AdminView view = access.read(ctx);
        int limit = Params.intParam(ctx, "limit", 100, 1, Paging.MAX_LIMIT);
        ObjectNode o = Answers.ok();
        ArrayNode a = o.putArray("handovers");
        admin.conversations().handovers(limit, view).forEach(h -> a.add(json(h)));
        ArrayNode recent = o.putArray("recent");
        admin.conversations().recentChanges(20, view).forEach(c -> recent.addObject().put("key", c.key())
                .put("handover", c.handover()).put("by", c.by()).put("startedBy", c.startedBy()).put("atMs", c.atMs()));
        Answers.json(ctx, 200, o);
    }

    void show(Context ctx) {
        AdminView view = access.read(ctx);
        ConversationRef c = Params.key(ctx);
        ConversationAdmin.HandoverView h = admin.conversations().handover(c, view);
        ObjectNode o = Answers.ok().put("conversation", view.conversationKey(c.key())).put("active", h != null);
        if (h != null) {
            o.set("handover", json(h));
        }
        Answers.json(ctx, 200, o);
    }

    void start(Context ctx) {
        access.act(ctx);
        ConversationRef c = Params.key(ctx);
        long forMs = length(ctx);
        ConversationAdmin.HandoverView h = admin.conversations().startHandover(c, forMs, AdminView.FULL);
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("active", true).set("handover", json(h)));
    }

    void end(Context ctx) {
        access.act(ctx);
        ConversationRef c = Params.key(ctx);
        ConversationAdmin.HandoverView h = admin.conversations().endHandover(c, AdminView.FULL);
        if (h == null) {
            throw Answers.notFound(ctx, "conversation " + c.key() + " has no handover in force: the bot already answers it");
        }
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("active", false).set("ended", json(h)));
    }

    /** The length asked for: exactly one of for, untilMs, forever. */
    private long length(Context ctx) {
        String forText = ctx.queryParam("for");
        String until = ctx.queryParam("untilMs");
        boolean forever = "true".equals(ctx.queryParam("forever"));
        int given = (forText != null ? 1 : 0) + (until != null ? 1 : 0) + (forever ? 1 : 0);
        if (given != 1) {
            throw new BadRequest("say how long, with exactly one of ?for=30m (s, m, h, d or ms, up to 7d), "
                    + "?untilMs=<store time in ms> or ?forever=true (bot off until handed back)");
        }
        if (forever) {
            return Handover.FOREVER;
        }
        long ms;
        if (forText != null) {
            ms = Params.duration(forText, "for");
        } else {
            try {
                ms = Long.parseLong(until.trim()) - admin.nowMs();
            } catch (NumberFormatException e) {
                throw new BadRequest("untilMs is a store time in ms since the epoch (got \"" + Answers.clip(until) + "\")");
            }
            if (ms <= 0) {
                throw new BadRequest("untilMs " + until.trim() + " is in the past: the store's time is " + admin.nowMs());
            }
        }
        if (ms > Handover.MAX_MS) {
            throw new BadRequest("a handover lasts at most a week (" + Handover.MAX_MS + " ms); for longer, use "
                    + "?forever=true (bot off) and hand it back later");
        }
        return ms;
    }

    private static ObjectNode json(ConversationAdmin.HandoverView h) {
        ObjectNode o = Answers.ok();
        o.remove("success");
        o.put("key", h.key()).put("tenant", h.tenant()).put("channel", h.channel()).put("sinceMs", h.sinceMs())
                .put("untilMs", h.untilMs()).put("endsInMs", h.endsInMs()).put("startedBy", h.by())
                .put("forever", h.untilMs() == null);
        return o;
    }
}
