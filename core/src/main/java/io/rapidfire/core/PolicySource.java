package io.rapidfire.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The policies in force: the configured ones with the store's runtime overrides on top ("*" changes the
 * default, a tenant name that tenant). Re-read from the store at most once a second, so a change made with
 * {@code rapidfire policy set} reaches every process within about a second, without a restart. If the store
 * cannot be read, the last known policies stay in force.
 */
public final class PolicySource implements Supplier<Policies> {
    private static final Logger log = LoggerFactory.getLogger(PolicySource.class);
    static final long REFRESH_NANOS = 1_000_000_000L;

    private final SharedState store;
    private final Policies configured;
    private volatile Policies current;
    private volatile Map<String, String> lastOverrides = Map.of();
    private volatile long readAtNanos;

    public PolicySource(SharedState store, Policies configured) {
        this.store = store;
        this.configured = configured;
        this.current = configured;
    }

    @Override
    public Policies get() {
        long now = System.nanoTime();
        if (now - readAtNanos > REFRESH_NANOS) {
            readAtNanos = now;
            try {
                Map<String, String> overrides = store.runtimePolicies();
                if (!overrides.equals(lastOverrides)) {
                    current = merge(configured, overrides);
                    lastOverrides = overrides;
                    log.info("Runtime policy overrides now in force: {}", overrides.isEmpty() ? "none" : overrides);
                }
            } catch (RuntimeException e) {
                log.debug("Runtime policies not refreshed: {}", e.getMessage());
            }
        }
        return current;
    }

    /** Overrides that do not parse are skipped with a warning; `rapidfire policy set` validates before storing. */
    static Policies merge(Policies configured, Map<String, String> overrides) {
        Policy def = configured.defaults();
        if (overrides.containsKey("*")) {
            try {
                def = TenantPolicies.apply(def, overrides.get("*"), "*");
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring runtime default policy '{}': {}", overrides.get("*"), e.getMessage());
            }
        }
        Map<String, Policy> tenants = new HashMap<>();
        for (Map.Entry<String, Policy> t : configured.tenants().entrySet()) {
            tenants.put(t.getKey(), t.getValue());
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (o.getKey().equals("*")) {
                continue;
            }
            try {
                tenants.put(o.getKey(), TenantPolicies.apply(tenants.getOrDefault(o.getKey(), def), o.getValue(), o.getKey()));
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring runtime policy of tenant {} '{}': {}", o.getKey(), o.getValue(), e.getMessage());
            }
        }
        return new Policies(def, tenants);
    }
}
