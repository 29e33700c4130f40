package io.rapidfire.store;


import io.rapidfire.core.BatchStore;
import io.rapidfire.store.BatchQueueContract;
import io.rapidfire.store.DeadLetterContract;
import io.rapidfire.store.SharedStateContract;
import io.rapidfire.store.StoreAdminContract;
import io.rapidfire.store.StoreContractSupport.ClockedStore;
import io.rapidfire.store.StoreContractSupport.StoreBackend;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

import java.time.Duration;

/** The four store contracts on a real redis-server. */
@Tag("redis")
class RedisBatchStoreTest {
    static final StoreBackend REDIS = new StoreBackend() {
        private RedisBatchStore.Builder builder() {
            return RedisBatchStore.builder(SharedRedis.url()).clientName("rapidfire:test").timeout(Duration.ofSeconds(2))
                    .namespace(SharedRedis.freshNamespace()).partitions(4).dedupWindow(Duration.ofMinutes(1));
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
            return REDIS;
        }
    }

    @Nested
    class OneAnswerPerThought extends SupersedeContract {
        @Override
        protected StoreBackend backend() {
            return REDIS;
        }
    }

    @Nested
    class HandingOver extends HandoverContract {
        @Override
        protected StoreBackend backend() {
            return REDIS;
        }
    }

    @Nested
    class Admin extends StoreAdminContract {
        @Override
        protected StoreBackend backend() {
            return REDIS;
        }
    }

    @Nested
    class DeadLetters extends DeadLetterContract {
        @Override
        protected StoreBackend backend() {
            return REDIS;
        }
    }

    @Nested
    class Shared extends SharedStateContract {
        @Override
        protected StoreBackend backend() {
            return REDIS;
        }
    }
}
