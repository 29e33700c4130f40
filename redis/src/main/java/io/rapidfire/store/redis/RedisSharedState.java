package io.rapidfire.store.redis;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.core.SharedState;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The Redis store's {@link SharedState}: one-time marks, runtime policies and lid-phone pairs, each one plain command
 * on keys of their own (RedisKeys: {@code :once:}, {@code :policies}, {@code {links}}), none in a partition. Errors go
 * through the store's {@link Calls}, so they read and count like every other store call.
 */
final class RedisSharedState implements SharedState {
    /** The store's error mapping: a Redis error becomes a StoreUnavailableException naming the operation and key. */
    interface Calls {
        <T> T call(String op, String subject, Supplier<T> body);
    }

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final Calls calls;

    RedisSharedState(RedisClusterCommands<String, String> redis, RedisKeys keys, Calls calls) {
        this.redis = redis;
        this.keys = keys;
        this.calls = calls;
    }

    @Override
    public Map<String, String> runtimePolicies() {
        return calls.call("runtimePolicies", keys.policies(), () -> redis.hgetall(keys.policies()));
    }

    @Override
    public void setRuntimePolicy(String tenant, String spec) {
        calls.call("setRuntimePolicy", keys.policies(), () -> redis.hset(keys.policies(), tenant, spec));
    }

    @Override
    public boolean clearRuntimePolicy(String tenant) {
        return calls.call("clearRuntimePolicy", keys.policies(), () -> redis.hdel(keys.policies(), tenant)) == 1;
    }

    @Override
    public boolean markOnce(String token, long ttlMs) {
        String key = keys.mark(token);
        return "OK".equals(calls.call("markOnce", key, () -> redis.set(key, "1", SetArgs.Builder.nx().px(ttlMs))));
    }

    @Override
    public boolean isMarked(String token) {
        return calls.call("isMarked", keys.mark(token), () -> redis.exists(keys.mark(token))) == 1;
    }

    @Override
    public LinkOutcome link(String tenant, String alias, String canonical, long ttlMs) {
        String key = keys.link(tenant, alias);
        SetArgs create = SetArgs.Builder.nx().px(ttlMs);
        // SET NX first: a new pair (the common case once per person) is one round trip; a known one is renewed.
        // Two processes learning the same lid at once: one SET NX wins, the other sees KNOWN or TAKEN.
        for (int attempt = 0; attempt < 2; attempt++) {
            if ("OK".equals(calls.call("link", key, () -> redis.set(key, canonical, create)))) {
                return LinkOutcome.NEW;
            }
            String now = calls.call("link", key, () -> redis.get(key));
            if (canonical.equals(now)) {
                calls.call("link", key, () -> redis.pexpire(key, ttlMs));
                return LinkOutcome.KNOWN;
            }
            if (now != null) {
                return LinkOutcome.TAKEN;
            }
            // expired between the two calls: try once more
        }
        return LinkOutcome.TAKEN;
    }

    @Override
    public boolean unlink(String tenant, String alias) {
        String key = keys.link(tenant, alias);
        return calls.call("unlink", key, () -> redis.del(key)) == 1;
    }

    @Override
    public String linked(String tenant, String alias) {
        String key = keys.link(tenant, alias);
        return calls.call("linked", key, () -> redis.get(key));
    }
}
