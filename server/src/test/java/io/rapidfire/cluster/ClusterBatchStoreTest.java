package io.rapidfire.cluster;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.BatchStoreContract;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;

import java.time.Duration;

/** The store contract against a real 3-master Redis Cluster: every script's keys must share one slot. */
@Tag("cluster")
class ClusterBatchStoreTest extends BatchStoreContract {
    private static RedisBatchStore.Builder builder() {
        return RedisBatchStore.builder(SharedCluster.url()).clientName("rapidfire:test-cluster")
                .timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(12)
                .dedupWindow(Duration.ofMinutes(1));
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
