package io.rapidfire.cluster;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;
import io.rapidfire.worker.WorkerContract;

import java.time.Duration;

/** The worker contract (wake-ups over pub/sub, leases, retries) on a real Redis Cluster. */
@Tag("cluster")
class ClusterWorkerTest extends WorkerContract {
    @Override
    protected BatchStore newStore() {
        return RedisBatchStore.builder(SharedCluster.url()).clientName("rapidfire:test-cluster-worker").timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(12).dedupWindow(Duration.ofMinutes(1)).build();
    }
}
