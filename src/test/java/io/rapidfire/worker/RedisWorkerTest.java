package io.rapidfire.worker;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedRedis;

import java.time.Duration;

class RedisWorkerTest extends WorkerContract {
    @Override
    protected BatchStore newStore() {
        return new RedisBatchStore(SharedRedis.url(), "rapidfire:test-worker", Duration.ofSeconds(2),
                SharedRedis.freshNamespace(), 4, 60_000, " ");
    }
}
