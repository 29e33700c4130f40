package io.rapidfire.worker;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedRedis;

import java.time.Duration;

@Tag("redis")
class RedisWorkerTest extends WorkerContract {
    @Override
    protected BatchStore newStore() {
        return RedisBatchStore.builder(SharedRedis.url()).clientName("rapidfire:test-worker").timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
    }
}
