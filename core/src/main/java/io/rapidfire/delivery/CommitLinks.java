package io.rapidfire.delivery;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchQueue;

import java.util.function.Function;

/**
 * The commit URL each delivered batch carries ({@code commitUrl}; one answer per thought, docs/release-rules.md):
 * {@code <base>/v1/batches/<batchId>/commit?p=<partition>}. The partition lets the API find the batch without a
 * conversation in the URL (URLs end up in proxies' access logs; a phone number must not). Only batches of a tenant
 * whose policy supersedes carry one: under {@code queue} a bot has nothing to ask.
 */
public final class CommitLinks implements Function<Batch, String> {
    private final java.util.function.Supplier<String> base;
    private final BatchQueue store;
    private final java.util.function.Supplier<io.rapidfire.core.Policies> policies;

    /**
     * @param base     where bots reach the API (RAPIDFIRE_PUBLIC_URL); asked per batch, since a server on port 0 learns
     *                 its port only once it listens
     * @param policies the policies in force; null: every batch carries a commit URL
     */
    public CommitLinks(java.util.function.Supplier<String> base, BatchQueue store,
                       java.util.function.Supplier<io.rapidfire.core.Policies> policies) {
        this.base = base;
        this.store = store;
        this.policies = policies;
    }

    public CommitLinks(java.util.function.Supplier<String> base, BatchQueue store) {
        this(base, store, null);
    }

    /** The batch's commit URL, or null when its tenant's policy does not supersede. */
    @Override
    public String apply(Batch b) {
        if (policies != null && !policies.get().forConversation(b.conversation()).supersede()) {
            return null;
        }
        String u = base.get();
        return (u.endsWith("/") ? u.substring(0, u.length() - 1) : u) + "/v1/batches/" + b.batchId() + "/commit?p="
                + store.partitionOf(b.conversation());
    }
}
