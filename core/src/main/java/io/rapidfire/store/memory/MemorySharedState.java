package io.rapidfire.store.memory;

import io.rapidfire.core.SharedState;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The memory store's {@link SharedState}: one-time marks, runtime policies and lid-phone pairs, on the store's clock.
 * Apart from the batches (their own lock), since nothing here touches them. Marks and pairs are kept in expiry order
 * (a renewed pair is re-inserted last), so the oldest go first; pairs are bounded by {@link #LINK_LIMIT}.
 */
final class MemorySharedState implements SharedState {
    /** At most this many lid-phone pairs in memory: the oldest is forgotten first. */
    static final int LINK_LIMIT = 100_000;

    private final LongSupplier clock;
    private final LinkedHashMap<String, Long> marks = new LinkedHashMap<>();
    private final Map<String, String> policies = new java.util.concurrent.ConcurrentHashMap<>();
    private final LinkedHashMap<String, Linked> links = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Linked> eldest) {
            return size() > LINK_LIMIT;
        }
    };

    private record Linked(String canonical, long untilMs) {
    }

    MemorySharedState(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean markOnce(String token, long ttlMs) {
        long now = clock.getAsLong();
        var it = marks.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() > now) {
                break;
            }
            it.remove();
        }
        Long until = marks.get(token);
        if (until != null && until > now) {
            return false;
        }
        marks.put(token, now + ttlMs);
        return true;
    }

    @Override
    public synchronized boolean isMarked(String token) {
        Long until = marks.get(token);
        return until != null && until > clock.getAsLong();
    }

    @Override
    public synchronized LinkOutcome link(String tenant, String alias, String canonical, long ttlMs) {
        String key = tenant + "\n" + alias;
        long now = clock.getAsLong();
        Linked before = links.get(key);
        boolean live = before != null && before.untilMs() > now;
        if (live && !before.canonical().equals(canonical)) {
            return LinkOutcome.TAKEN;
        }
        links.remove(key); // re-inserted last: the map stays in expiry order
        links.put(key, new Linked(canonical, now + ttlMs));
        return live ? LinkOutcome.KNOWN : LinkOutcome.NEW;
    }

    @Override
    public synchronized boolean unlink(String tenant, String alias) {
        Linked gone = links.remove(tenant + "\n" + alias);
        return gone != null && gone.untilMs() > clock.getAsLong();
    }

    @Override
    public synchronized String linked(String tenant, String alias) {
        Linked l = links.get(tenant + "\n" + alias);
        return l == null || l.untilMs() <= clock.getAsLong() ? null : l.canonical();
    }

    @Override
    public Map<String, String> runtimePolicies() {
        return Map.copyOf(policies);
    }

    @Override
    public void setRuntimePolicy(String tenant, String spec) {
        policies.put(tenant, spec);
    }

    @Override
    public boolean clearRuntimePolicy(String tenant) {
        return policies.remove(tenant) != null;
    }
}
