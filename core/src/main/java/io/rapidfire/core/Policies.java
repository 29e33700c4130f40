package io.rapidfire.core;

import java.util.Map;

/** One default policy and per-tenant overrides. */
public record Policies(Policy defaults, Map<String, Policy> tenants) {
    public Policies {
        tenants = Map.copyOf(tenants);
    }

    public static Policies of(Policy defaults) {
        return new Policies(defaults, Map.of());
    }

    public Policy forTenant(String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }
}
