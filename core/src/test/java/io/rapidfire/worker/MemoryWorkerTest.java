package io.rapidfire.worker;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.BatchStore;
import java.time.Duration;
import io.rapidfire.store.memory.MemoryBatchStore;

@Tag("fast")
class MemoryWorkerTest extends WorkerContract {
    @Override
    protected BatchStore newStore() {
        return MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
    }
}
