package io.rapidfire.store.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * What the parts of one {@link RedisBatchStore} share: its connection, scripts, key names and settings.
 *
 * @param joiner the joiner for state written before the per-policy joiner was stored (Builder#joiner)
 */
record StoreContext(RedisLink link, RedisClusterCommands<String, String> redis,
                    RedisClusterAsyncCommands<String, String> async, LuaScripts scripts, RedisKeys keys,
                    RedisCalls calls, RedisHealth health, String description, int partitions, long dedupWindowMs,
                    String joiner) {

    String dedupWindow() {
        return Long.toString(dedupWindowMs);
    }
}
