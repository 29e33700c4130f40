package io.rapidfire.admin;

import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ConversationPolicies;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Handover;
import io.rapidfire.core.HandoverBy;
import io.rapidfire.core.HandoverControl;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.core.TenantPolicies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The operators' side of conversation control, for the three front ends (admin routes, dashboard, CLI): handing a
 * conversation to a human and back ({@link HandoverControl}), and a conversation's own rules on top of its tenant's
 * ({@link ConversationPolicies}). Every read takes the caller's {@link AdminView}, as in {@link AdminService}.
 */
public final class ConversationAdmin {
    private final BatchStore store;
    private final Supplier<Policies> policies;
    private final HandoverControl handovers;

    ConversationAdmin(BatchStore store, Supplier<Policies> policies) {
        this.store = store;
        this.policies = policies;
        this.handovers = HandoverControl.of(store, c -> policies.get().forConversation(c));
    }

    /**
     * A conversation a human has, as the caller's view shows it. {@code untilMs} null: no end (bot off);
     * {@code endsInMs} from the store's now, null likewise.
     */
    public record HandoverView(String key, String tenant, String channel, long sinceMs, Long untilMs, Long endsInMs,
                              String by) {
    }

    private HandoverView shown(Handover h, AdminView view, long nowMs) {
        ConversationRef c = h.conversation();
        Long until = h.forever() ? null : h.untilMs();
        return new HandoverView(view.conversationKey(c.key()), c.tenant(), c.channel(), h.sinceMs(), until,
                until == null ? null : until - nowMs, h.by());
    }

    private HandoverView shown(Handover h, AdminView view) {
        return shown(h, view, store.nowMs());
    }

    /** Conversations a human has now, at most {@code limit}. */
    public List<HandoverView> handovers(int limit, AdminView view) {
        long now = store.nowMs();
        return store.handovers(limit).stream().map(h -> shown(h, view, now)).toList();
    }

    /** The conversation's handover in force, or null. */
    public HandoverView handover(ConversationRef c, AdminView view) {
        Handover h = handovers.state(c);
        return h == null ? null : shown(h, view);
    }

    /**
     * An operator hands the conversation to a human for {@code forMs} ({@link Handover#FOREVER}:
     * bot off), announced in the conversation; one in force only moves its end later.
     *
     * @throws IllegalArgumentException for a length out of range (nothing changes)
     */
    public HandoverView startHandover(ConversationRef c, long forMs, AdminView view) {
        Handover.checkLength(forMs);
        return shown(handovers.start(c, forMs, HandoverBy.OPERATOR), view);
    }

    /** An operator hands the conversation back to the bot; the handover ended, or null when there was none. */
    public HandoverView endHandover(ConversationRef c, AdminView view) {
        Handover h = handovers.end(c, HandoverBy.OPERATOR);
        return h == null ? null : shown(h, view);
    }

    /**
     * A conversation's rules in force and which level decided them; {@code spec} and {@code untilMs} of its own
     * override (null, -1 when it has none).
     */
    public record ConversationPolicy(String key, Policy policy, String level, String spec, long untilMs) {
    }

    /** How many conversations may have rules of their own at once. */
    public static final int MAX_CONVERSATION_POLICIES = 10_000;

    /** Every conversation with rules of its own: key (as the view shows it) and its stored rules. */
    public List<ConversationPolicy> policies(AdminView view) {
        Policies now = policies.get();
        List<ConversationPolicy> out = new ArrayList<>();
        new TreeMap<>(store.runtimePolicies()).forEach((k, v) -> {
            ConversationRef c = ConversationPolicies.conversationOf(k);
            if (c != null) {
                ConversationPolicies.Override o = ConversationPolicies.decode(v);
                out.add(new ConversationPolicy(view.conversationKey(c.key()), now.forConversation(c), now.levelOf(c),
                        o.spec(), o.untilMs()));
            }
        });
        return out;
    }

    public ConversationPolicy policy(ConversationRef c, AdminView view) {
        Policies now = policies.get();
        String own = store.runtimePolicies().get(ConversationPolicies.field(c));
        ConversationPolicies.Override o = own == null ? null
                : ConversationPolicies.decode(own);
        return new ConversationPolicy(view.conversationKey(c.key()), now.forConversation(c), now.levelOf(c),
                o == null ? null : o.spec(), o == null ? -1 : o.untilMs());
    }

    /**
     * Gives one conversation its own rules on top of its tenant's, for {@code forMs} (-1: until reset), in force in
     * every process within about a second; also for a contact who has not written yet.
     *
     * @throws IllegalArgumentException naming the field and its range; nothing is stored
     */
    public Policy setPolicy(ConversationRef c, String spec, long forMs) {
        Policy p = TenantPolicies.apply(policies.get().forTenant(c.tenant()), spec, c.key());
        long now = store.nowMs();
        long until = forMs < 0 ? -1 : now + forMs;
        int held = 0;
        for (Map.Entry<String, String> e : store.runtimePolicies().entrySet()) {
            if (!e.getKey().startsWith(ConversationPolicies.PREFIX)) {
                continue;
            }
            if (!ConversationPolicies.decode(e.getValue()).activeAt(now)) {
                store.clearRuntimePolicy(e.getKey()); // an ended one: forgotten here, on a write, never on a read
            } else if (!e.getKey().equals(ConversationPolicies.field(c))) {
                held++;
            }
        }
        if (held >= MAX_CONVERSATION_POLICIES) {
            throw new IllegalArgumentException("at most " + MAX_CONVERSATION_POLICIES + " conversations may have rules "
                    + "of their own (every process reads them all once a second); " + held + " have: reset some, or "
                    + "give their tenant the rule");
        }
        store.setRuntimePolicy(ConversationPolicies.field(c),
                ConversationPolicies.encode(spec, until));
        return p;
    }

    public boolean resetPolicy(ConversationRef c) {
        return store.clearRuntimePolicy(ConversationPolicies.field(c));
    }

    /** A change of a handover, as the caller's view shows it (the conversation masked in the masked view). */
    public record HandoverChange(String key, String handover, String by, String startedBy, long atMs) {
    }

    /** The newest handover changes, newest first, at most {@code limit}. */
    public List<HandoverChange> recentChanges(int limit, AdminView view) {
        List<HandoverChange> out = new ArrayList<>();
        for (String line : store.recentChanges(limit)) {
            try {
                com.fasterxml.jackson.databind.JsonNode j = io.rapidfire.core.MessageCodec.JSON.readTree(line);
                out.add(new HandoverChange(view.conversationKey(j.path("conversation").asText()),
                        j.path("handover").asText(), j.path("by").asText(), j.path("startedBy").asText(),
                        j.path("atMs").asLong()));
            } catch (java.io.IOException e) {
                // not a line this version wrote: skipped
            }
        }
        return out;
    }
}
