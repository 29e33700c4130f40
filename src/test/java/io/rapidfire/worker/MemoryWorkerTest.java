package io.rapidfire.worker;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.memory.MemoryBatchStore;

class MemoryWorkerTest extends WorkerContract {
    @Override
    protected BatchStore newStore() {
        return new MemoryBatchStore(4, 60_000);
    }
}
