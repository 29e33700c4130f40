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
    private volatile long nextEndMs = Long.MAX_VALUE;
    private final java.util.function.LongSupplier clock;

    /** The ends of conversations' rules are compared with the store's clock when the store has one (once a refresh). */
    public PolicySource(SharedState store, Policies configured) {
        this(store, configured, store instanceof BatchQueue q ? q::nowMs : System::currentTimeMillis);
    }

    /**
     * @param clock what a conversation policy's end is compared with (ms), read once per refresh; an end takes effect
     *              within the refresh (about a second) of its time on that clock
     */
    public PolicySource(SharedState store, Policies configured, java.util.function.LongSupplier clock) {
        this.store = store;
        this.configured = configured;
        this.current = configured;
        this.clock = clock;
    }

    /** The earliest end, after now, of a conversation's policy: the policies in force change then. */
    private static long nextEnd(Map<String, String> overrides, long nowMs) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (o.getKey().startsWith(ConversationPolicies.PREFIX)) {
                long until = ConversationPolicies.decode(o.getValue()).untilMs();
                if (until > nowMs) {
                    next = Math.min(next, until);
                }
            }
        }
        return next;
    }

    /**
     * Re-reads every second on a daemon thread of its own instead of within {@link #get}, which then never waits for
     * the store: for callers that must not wait (the webhooks on the Redis client's own event loop, where a wait for
     * Redis would wait for itself). A change still reaches the process within about a second.
     */
    public PolicySource refreshInBackground() {
        var refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rapidfire-policies");
            t.setDaemon(true);
            return t;
        });
        refresh();
        background = true;
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH_NANOS, REFRESH_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        return this;
    }

    private volatile boolean background;

    @Override
    public Policies get() {
        if (!background && System.nanoTime() - readAtNanos > REFRESH_NANOS) {
            refresh();
        }
        return current;
    }

    private void refresh() {
        readAtNanos = System.nanoTime();
        try {
            Map<String, String> overrides = store.runtimePolicies();
            long clockMs = clock.getAsLong();
            if (!overrides.equals(lastOverrides) || clockMs >= nextEndMs) {
                current = merge(configured, overrides, clockMs);
                nextEndMs = nextEnd(overrides, clockMs);
                if (!overrides.equals(lastOverrides)) {
                    long conversations = overrides.keySet().stream()
                            .filter(k -> k.startsWith(ConversationPolicies.PREFIX)).count();
                    Map<String, String> tenants = new java.util.TreeMap<>(overrides);
                    tenants.keySet().removeIf(k -> k.startsWith(ConversationPolicies.PREFIX));
                    log.info("Runtime policy overrides now in force: {}; rules of their own for {} chat(s)",
                            tenants.isEmpty() ? "none" : tenants, conversations);
                }
                lastOverrides = overrides;
            }
        } catch (RuntimeException e) {
            log.debug("Runtime policies not refreshed: {}", e.getMessage());
        }
    }

    /** Overrides that do not parse are skipped with a warning; `rapidfire policy set` validates before storing. */
    static Policies merge(Policies configured, Map<String, String> overrides) {
        return merge(configured, overrides, System.currentTimeMillis());
    }

    /** Tenant overrides on the configured policies, then each conversation's in force at {@code nowMs} on its tenant's. */
    public static Policies merge(Policies configured, Map<String, String> overrides, long nowMs) {
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
            if (o.getKey().equals("*") || o.getKey().startsWith(ConversationPolicies.PREFIX)) {
                continue;
            }
            try {
                tenants.put(o.getKey(), TenantPolicies.apply(tenants.getOrDefault(o.getKey(), def), o.getValue(), o.getKey()));
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring runtime policy of tenant {} '{}': {}", o.getKey(), o.getValue(), e.getMessage());
            }
        }
        Policies byTenant = new Policies(def, tenants);
        Map<String, Policy> conversations = new HashMap<>();
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (!o.getKey().startsWith(ConversationPolicies.PREFIX)) {
                continue;
            }
            try {
                ConversationRef c = ConversationPolicies.conversationOf(o.getKey());
                ConversationPolicies.Override v = ConversationPolicies.decode(o.getValue());
                if (v.activeAt(nowMs)) {
                    conversations.put(c.key(), TenantPolicies.apply(byTenant.forTenant(c.tenant()), v.spec(), c.key()));
                }
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring the runtime policy of a conversation ({}): {}", Mask.conversation(o.getKey()),
                        e.getMessage());
            }
        }
        return new Policies(def, tenants, conversations);
    }
}
