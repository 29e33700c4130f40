package io.rapidfire.store;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.memory.MemoryBatchStore;

class MemoryBatchStoreTest extends BatchStoreContract {
    @Override
    protected BatchStore newStore() {
        return new MemoryBatchStore(4, 60_000);
    }
}
