package io.rapidfire.store;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedRedis;

import java.time.Duration;

class RedisBatchStoreTest extends BatchStoreContract {
    @Override
    protected BatchStore newStore() {
        return new RedisBatchStore(SharedRedis.url(), "rapidfire:test", Duration.ofSeconds(2),
                SharedRedis.freshNamespace(), 4, 60_000, " ");
    }
}
