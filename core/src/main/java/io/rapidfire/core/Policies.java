package io.rapidfire.core;

import java.util.Map;

/**
 * One default policy, per-tenant policies and per-conversation ones (key tenant:channel:conversation): the most
 * specific in force decides ({@link #forConversation}).
 */
public record Policies(Policy defaults, Map<String, Policy> tenants, Map<String, Policy> conversations) {
    public Policies {
        tenants = Map.copyOf(tenants);
        conversations = Map.copyOf(conversations);
    }

    public Policies(Policy defaults, Map<String, Policy> tenants) {
        this(defaults, tenants, Map.of());
    }

    public static Policies of(Policy defaults) {
        return new Policies(defaults, Map.of());
    }

    public Policy forTenant(String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }

    /** The conversation's own policy if it has one in force, else its tenant's, else the default. */
    public Policy forConversation(ConversationRef c) {
        Policy p = conversations.get(c.key());
        return p != null ? p : forTenant(c.tenant());
    }

    /** Which level decides the conversation's policy: "conversation", "tenant" or "default". */
    public String levelOf(ConversationRef c) {
        return conversations.containsKey(c.key()) ? "conversation" : tenants.containsKey(c.tenant()) ? "tenant"
                : "default";
    }
}
