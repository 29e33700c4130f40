package io.rapidfire.delivery;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchQueue;

import java.util.function.Function;

/**
 * The commit URL each delivered batch carries ({@code commitUrl}; one answer per thought, docs/release-rules.md):
 * {@code <base>/v1/batches/<batchId>/commit?p=<partition>}. The partition lets the API find the batch without a
 * conversation in the URL (URLs end up in proxies' access logs; a phone number must not).
 */
public final class CommitLinks implements Function<Batch, String> {
    private final java.util.function.Supplier<String> base;
    private final BatchQueue store;

    /**
     * @param base where bots reach the API (RAPIDFIRE_PUBLIC_URL); asked per batch, since a server on port 0 learns
     *             its port only once it listens
     */
    public CommitLinks(java.util.function.Supplier<String> base, BatchQueue store) {
        this.base = base;
        this.store = store;
    }

    @Override
    public String apply(Batch b) {
        String u = base.get();
        return (u.endsWith("/") ? u.substring(0, u.length() - 1) : u) + "/v1/batches/" + b.batchId() + "/commit?p="
                + store.partitionOf(b.conversation());
    }
}
