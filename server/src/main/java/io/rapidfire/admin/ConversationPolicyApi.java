package io.rapidfire.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Policy;
import io.rapidfire.core.TenantPolicies;
import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.HttpServer;

/**
 * One conversation's own release rules, on top of its tenant's (docs/operations.md, "Rules for one conversation"):
 * {@code GET|PUT|DELETE /admin/conversations/{key}/policy}. PUT takes the tenant policy syntax as its body
 * ({@code quietMs:120000,maxWaitMs:300000}) and an optional {@code ?for=2h}; it works for a contact who has not
 * written yet. GET says which level decides (default, tenant, conversation).
 */
final class ConversationPolicyApi {
    private final AdminService admin;
    private final AdminAccess access;
    private final int maxBodyBytes;

    ConversationPolicyApi(AdminService admin, AdminAccess access, int maxBodyBytes) {
        this.admin = admin;
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(HttpServer http) {
        http.route(HandlerType.GET, "/admin/conversations/{key}/policy", this::show);
        http.route(HandlerType.PUT, "/admin/conversations/{key}/policy", this::set);
        http.route(HandlerType.DELETE, "/admin/conversations/{key}/policy", this::reset);
    }

    void show(Context ctx) {
        AdminView view = access.read(ctx);
        Answers.json(ctx, 200, json(admin.conversations().policy(Params.key(ctx), view)));
    }

    void set(Context ctx) throws java.io.IOException {
        access.act(ctx);
        ConversationRef c = Params.key(ctx);
        String forText = ctx.queryParam("for");
        long forMs = forText == null ? -1 : Params.duration(forText, "for");
        String spec = new String(EdgeRules.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                maxBodyBytes, "RAPIDFIRE_MAX_BODY_BYTES"), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (spec.isEmpty()) {
            throw new BadRequest("the body must be the conversation's rules, e.g. quietMs:120000,maxWaitMs:300000 "
                    + "(fields " + TenantPolicies.FIELDS + ")");
        }
        Policy p;
        try {
            p = admin.conversations().setPolicy(c, spec, forMs);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the body must be the conversation's rules, e.g. quietMs:120000 (fields "
                    + TenantPolicies.FIELDS + "): " + e.getMessage());
        }
        // What was set, not what this process applies yet (it re-reads the runtime policies once a second).
        ConversationAdmin.ConversationPolicy now = admin.conversations().policy(c, AdminView.FULL);
        ObjectNode o = json(new ConversationAdmin.ConversationPolicy(c.key(), p, "conversation", now.spec(), now.untilMs()));
        o.put("inForceWithinMs", 1000);
        Answers.json(ctx, 200, o);
    }

    void reset(Context ctx) {
        access.act(ctx);
        ConversationRef c = Params.key(ctx);
        if (!admin.conversations().resetPolicy(c)) {
            throw Answers.notFound(ctx, "conversation " + c.key() + " has no rules of its own: its tenant's apply");
        }
        Answers.json(ctx, 200, Answers.ok().put("conversation", c.key()).put("removed", true)
                .put("inForceWithinMs", 1000));
    }

    private static ObjectNode json(ConversationAdmin.ConversationPolicy p) {
        Policy pol = p.policy();
        ObjectNode o = Answers.ok().put("conversation", p.key()).put("level", p.level()).put("spec", p.spec());
        if (p.untilMs() >= 0) {
            o.put("untilMs", p.untilMs());
        }
        o.put("inForce", pol.describe());
        o.putObject("rules").put("quietMs", pol.quietMs()).put("maxWaitMs", pol.maxWaitMs())
                .put("maxMessages", pol.maxMessages()).put("maxBytes", pol.maxBytes()).put("typing", pol.typing())
                .put("adaptive", pol.adaptive()).put("onNewMessage", pol.onNewMessage());
        return o;
    }
}
