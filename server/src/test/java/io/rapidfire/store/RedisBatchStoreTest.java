package io.rapidfire.store;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedRedis;

import java.time.Duration;

@Tag("redis")
class RedisBatchStoreTest extends BatchStoreContract {
    private static RedisBatchStore.Builder builder() {
        return RedisBatchStore.builder(SharedRedis.url()).clientName("rapidfire:test").timeout(Duration.ofSeconds(2))
                .namespace(SharedRedis.freshNamespace()).partitions(4).dedupWindow(Duration.ofMinutes(1));
    }

    @Override
    protected BatchStore newStore() {
        return builder().build();
    }

    @Override
    protected ClockedStore newStoreOnManualClock() {
        RedisBatchStore s = builder().manualClock().build();
        return new ClockedStore(s, s::setManualTime);
    }
}
