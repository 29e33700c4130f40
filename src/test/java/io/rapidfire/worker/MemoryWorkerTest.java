package io.rapidfire.worker;

import io.rapidfire.core.BatchStore;
import java.time.Duration;
import io.rapidfire.store.memory.MemoryBatchStore;

class MemoryWorkerTest extends WorkerContract {
    @Override
    protected BatchStore newStore() {
        return MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build();
    }
}
