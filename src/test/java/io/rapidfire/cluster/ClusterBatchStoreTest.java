package io.rapidfire.cluster;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.BatchStoreContract;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;

import java.time.Duration;

/** The store contract against a real 3-master Redis Cluster: every script's keys must share one slot. */
class ClusterBatchStoreTest extends BatchStoreContract {
    @Override
    protected BatchStore newStore() {
        return new RedisBatchStore(SharedCluster.url(), "rapidfire:test-cluster", Duration.ofSeconds(2),
                SharedRedis.freshNamespace(), 12, 60_000, " ");
    }
}
