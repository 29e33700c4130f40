package io.rapidfire.store;


import io.rapidfire.core.BatchStore;
import io.rapidfire.store.StoreContractSupport.ClockedStore;
import io.rapidfire.store.StoreContractSupport.StoreBackend;
import io.rapidfire.store.memory.MemoryBatchStore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The four store contracts on the embedded store. */
@Tag("fast")
class MemoryBatchStoreTest {
    static final StoreBackend MEMORY = new StoreBackend() {
        private MemoryBatchStore.Builder builder() {
            return MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1));
        }

        @Override
        public BatchStore open() {
            return builder().build();
        }

        @Override
        public ClockedStore openOnManualClock() {
            AtomicLong clock = new AtomicLong();
            return new ClockedStore(builder().clock(clock::get).build(), clock::set);
        }
    };

    @Nested
    class HotPath extends BatchQueueContract {
        @Override
        protected StoreBackend backend() {
            return MEMORY;
        }
    }

    @Nested
    class OneAnswerPerThought extends SupersedeContract {
        @Override
        protected StoreBackend backend() {
            return MEMORY;
        }
    }

    @Nested
    class HandingOver extends HandoverContract {
        @Override
        protected StoreBackend backend() {
            return MEMORY;
        }
    }

    @Nested
    class Admin extends StoreAdminContract {
        @Override
        protected StoreBackend backend() {
            return MEMORY;
        }
    }

    @Nested
    class DeadLetters extends DeadLetterContract {
        @Override
        protected StoreBackend backend() {
            return MEMORY;
        }
    }

    @Nested
    class Shared extends SharedStateContract {
        @Override
        protected StoreBackend backend() {
            return MEMORY;
        }
    }
}
