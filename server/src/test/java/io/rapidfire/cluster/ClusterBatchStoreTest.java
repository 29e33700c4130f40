package io.rapidfire.cluster;


import io.rapidfire.core.BatchStore;
import io.rapidfire.store.BatchQueueContract;
import io.rapidfire.store.SupersedeContract;
import io.rapidfire.store.HandoverContract;
import io.rapidfire.store.DeadLetterContract;
import io.rapidfire.store.SharedStateContract;
import io.rapidfire.store.StoreAdminContract;
import io.rapidfire.store.StoreContractSupport.ClockedStore;
import io.rapidfire.store.StoreContractSupport.StoreBackend;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

import java.time.Duration;

/** The four store contracts on a real 3-master Redis Cluster: every script's keys must share one slot. */
@Tag("cluster")
class ClusterBatchStoreTest {
    static final StoreBackend CLUSTER = new StoreBackend() {
        private RedisBatchStore.Builder builder() {
            return RedisBatchStore.builder(SharedCluster.url()).clientName("rapidfire:test-cluster")
                    .timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(12)
                    .dedupWindow(Duration.ofMinutes(1));
        }

        @Override
        public BatchStore open() {
            return builder().build();
        }

        @Override
        public ClockedStore openOnManualClock() {
            RedisBatchStore s = builder().manualClock().build();
            return new ClockedStore(s, s::setManualTime);
        }
    };

    @Nested
    class HotPath extends BatchQueueContract {
        @Override
        protected StoreBackend backend() {
            return CLUSTER;
        }
    }

    @Nested
    class OneAnswerPerThought extends SupersedeContract {
        @Override
        protected StoreBackend backend() {
            return CLUSTER;
        }
    }

    @Nested
    class HandingOver extends HandoverContract {
        @Override
        protected StoreBackend backend() {
            return CLUSTER;
        }
    }

    @Nested
    class Admin extends StoreAdminContract {
        @Override
        protected StoreBackend backend() {
            return CLUSTER;
        }
    }

    @Nested
    class DeadLetters extends DeadLetterContract {
        @Override
        protected StoreBackend backend() {
            return CLUSTER;
        }
    }

    @Nested
    class Shared extends SharedStateContract {
        @Override
        protected StoreBackend backend() {
            return CLUSTER;
        }
    }
}
