package io.rapidfire.core;

/**
 * The ingest side of the engine for Java callers: appends a message under its tenant's policy.
 * Embedding needs only this, a store and a {@code Worker}; no HTTP server is involved. It needs only the hot
 * path of the store ({@link BatchQueue}).
 */
public final class Batcher {
    private final BatchQueue store;
    private final java.util.function.Supplier<Policies> policies;

    public Batcher(BatchQueue store, Policies policies) {
        this(store, () -> policies);
    }

    /** With a changing source of policies, e.g. {@link PolicySource} (runtime overrides from the store). */
    public Batcher(BatchQueue store, java.util.function.Supplier<Policies> policies) {
        this.store = store;
        this.policies = policies;
    }

    /**
     * Returns once the store has the message (or knows it as a duplicate).
     *
     * @throws InvalidMessageException    the message breaks a limit; nothing stored
     * @throws StoreUnavailableException  the store could not take it; nothing known to be stored
     */
    public AppendResult append(Message message) {
        return store.append(message, policyFor(message));
    }

    /** The policy a message is appended under: its conversation's, with the media grace for media without words. */
    private Policy policyFor(Message message) {
        return ReleaseRules.forAppend(message, policies.get().forConversation(message.conversation()), null);
    }

    /**
     * As {@link #append}, without holding the calling thread: the future completes when the store has the message
     * (see {@link BatchQueue#appendAsync} for where its stages run).
     */
    public java.util.concurrent.CompletableFuture<AppendResult> appendAsync(Message message) {
        return store.appendAsync(message, policyFor(message), null);
    }

    /**
     * Throws {@link InvalidMessageException} if the message breaks a limit of its tenant's policy, storing nothing:
     * a caller with several messages checks them all first, so a refused request stores none of them.
     */
    public void check(Message message) {
        ReleaseRules.requireFits(message, policies.get().forConversation(message.conversation()));
    }

    /** Batching off for this message: it goes out on its own at once (reason passthrough). */
    public AppendResult appendPassthrough(Message message) {
        return store.append(message, policies.get().forConversation(message.conversation()).passthrough());
    }

    /** {@link #appendPassthrough}, answered by a future (see {@link #appendAsync(Message)}). */
    public java.util.concurrent.CompletableFuture<AppendResult> appendPassthroughAsync(Message message) {
        return store.appendAsync(message, policies.get().forConversation(message.conversation()).passthrough(), null);
    }

    /** {@link #appendAndRelease}, answered by a future (see {@link #appendAsync(Message)}). */
    public java.util.concurrent.CompletableFuture<AppendResult> appendAndReleaseAsync(Message message,
                                                                                    ReleaseReason reason) {
        return store.appendAsync(message, policies.get().forConversation(message.conversation()), reason);
    }

    /** Appends and releases the open batch at once with {@code reason} (e.g. MEDIA). */
    public AppendResult appendAndRelease(Message message, ReleaseReason reason) {
        return store.append(message, policies.get().forConversation(message.conversation()), reason);
    }

    /**
     * A presence event (typing or stopped) of the conversation's person; one small store operation, none when
     * the tenant's policy has typing-aware release off or batching off.
     */
    public PresenceOutcome presence(ConversationRef conversation, boolean typing) {
        Policy p = policies.get().forConversation(conversation);
        if (!p.typing() || p.quietMs() == 0) {
            return PresenceOutcome.IGNORED;
        }
        return store.presence(conversation, typing, p.typingTimeoutMs());
    }

    public BatchQueue store() {
        return store;
    }

    public Policies policies() {
        return policies.get();
    }
}
