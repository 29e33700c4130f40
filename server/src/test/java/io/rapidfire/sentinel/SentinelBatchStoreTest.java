package io.rapidfire.sentinel;


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
import io.rapidfire.testing.RedisSentinelSetup;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

import java.time.Duration;

/** The four store contracts through Sentinel (REDIS_URL redis-sentinel://...?masterName=), with WAIT 1 on appends and claims. */
@Tag("cluster")
class SentinelBatchStoreTest {
    private static RedisSentinelSetup sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinelSetup.start();
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    static final StoreBackend SENTINEL = new StoreBackend() {
        private RedisBatchStore.Builder builder() {
            return RedisBatchStore.builder(sentinel.url()).clientName("rapidfire:test-sentinel")
                    .timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(4)
                    .dedupWindow(Duration.ofMinutes(1)).durability(new RedisBatchStore.Durability(1, 1_000, 5_000));
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
            return SENTINEL;
        }
    }

    @Nested
    class OneAnswerPerThought extends SupersedeContract {
        @Override
        protected StoreBackend backend() {
            return SENTINEL;
        }
    }

    @Nested
    class HandingOver extends HandoverContract {
        @Override
        protected StoreBackend backend() {
            return SENTINEL;
        }
    }

    @Nested
    class Admin extends StoreAdminContract {
        @Override
        protected StoreBackend backend() {
            return SENTINEL;
        }
    }

    @Nested
    class DeadLetters extends DeadLetterContract {
        @Override
        protected StoreBackend backend() {
            return SENTINEL;
        }
    }

    @Nested
    class Shared extends SharedStateContract {
        @Override
        protected StoreBackend backend() {
            return SENTINEL;
        }
    }
}
