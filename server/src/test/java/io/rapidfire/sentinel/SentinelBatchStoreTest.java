package io.rapidfire.sentinel;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.BatchStoreContract;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisSentinelSetup;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** The store contract through Sentinel (REDIS_URL redis-sentinel://...?masterName=), with WAIT 1 on appends and claims. */
@Tag("cluster")
class SentinelBatchStoreTest extends BatchStoreContract {
    private static RedisSentinelSetup sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinelSetup.start();
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    private static RedisBatchStore.Builder builder() {
        return RedisBatchStore.builder(sentinel.url()).clientName("rapidfire:test-sentinel")
                .timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(4)
                .dedupWindow(Duration.ofMinutes(1)).durability(new RedisBatchStore.Durability(1, 1_000, 5_000));
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
