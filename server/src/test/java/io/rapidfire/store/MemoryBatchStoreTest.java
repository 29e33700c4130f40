package io.rapidfire.store;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.memory.MemoryBatchStore;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

@Tag("fast")
class MemoryBatchStoreTest extends BatchStoreContract {
    private static MemoryBatchStore.Builder builder() {
        return MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1));
    }

    @Override
    protected BatchStore newStore() {
        return builder().build();
    }

    @Override
    protected ClockedStore newStoreOnManualClock() {
        AtomicLong clock = new AtomicLong();
        return new ClockedStore(builder().clock(clock::get).build(), clock::set);
    }
}
