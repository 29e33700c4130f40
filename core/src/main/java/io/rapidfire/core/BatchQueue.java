package io.rapidfire.core;

/**
 * The hot path of a store: what the webhook (append) and the worker (claim, renew, ack, retry, dead-letter) call
 * for every message. Each operation is one atomic step (DESIGN.md invariant 4); deadlines come from the store's
 * own clock (invariant 6). Specified by {@code BatchQueueContract}, which every backend runs.
 *
 * <p>Lifecycle of a conversation's messages: {@link #append} puts a message in the open batch and (re)computes
 * its deadline ({@link ReleaseRules}); {@link #claim} moves a due open batch to "in flight" under a lease; the
 * worker then {@link #ack}s it, asks to {@link #retry} it later, or {@link #deadLetter}s it. While a batch is in
 * flight new messages wait and form the next batch, which is due only after the current one is finished
 * (invariant 3) — unless the policy supersedes ({@link ReleaseRules#supersedes}): then a new message takes the
 * batch back from the bot, before it commits, and its messages and the new one form the next batch. A lease that is neither renewed nor finished expires and the same batch (same id, same
 * messages, attempt + 1) is claimed again.
 *
 * <p>Every method throws {@link StoreUnavailableException} when the store cannot be reached; then nothing is
 * known to have changed.
 */
public interface BatchQueue extends AutoCloseable {

    /** Number of partitions; conversations are spread over them and workers claim per partition. */
    int partitions();

    int partitionOf(ConversationRef conversation);

    /**
     * Adds a message to its conversation's open batch (or drops it as a duplicate if its id was seen within
     * the de-duplication window) and returns only once the store has it.
     *
     * @throws InvalidMessageException if the message alone is larger than the policy's maxBytes
     */
    default AppendResult append(Message message, Policy policy) {
        return append(message, policy, null);
    }

    /**
     * As {@link #append(Message, Policy)}; with {@code releaseNow} (e.g. MEDIA) the open batch, this message
     * included, is due at once with that reason.
     */
    AppendResult append(Message message, Policy policy, ReleaseReason releaseNow);

    /**
     * As {@link #append(Message, Policy, ReleaseReason)}, answered by a future instead of a parked thread: a store
     * that talks to a server completes it when the server answers, so no thread of the caller waits (on a machine
     * where waking a thread is dear, that wake-up is a good part of an append's cost). It fails with what append
     * throws ({@link InvalidMessageException}, {@link StoreUnavailableException}, ...), as the future's cause.
     *
     * <p>Stages added to the future may run on the store's I/O thread: they must not block, and must not call the
     * store's blocking methods (another appendAsync is fine). This default appends on the caller's thread.
     */
    default java.util.concurrent.CompletableFuture<AppendResult> appendAsync(Message message, Policy policy,
                                                                            ReleaseReason releaseNow) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(append(message, policy, releaseNow));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A presence event of the conversation's person: {@code typing} (composing, recording) or stopped. Updates
     * the conversation's {@link Pace} and moves its open batch's deadline (held while typing, brought forward
     * when they stop; never past max wait). Never creates a batch: for a sender with nothing stored yet (typing
     * their first message) it keeps only the pace, so their first message can be released a grace after it is sent
     * instead of a whole quiet period, and only for {@code newStateTtlMs} (the typing timeout): presence events
     * for made-up senders on an open route cost a few seconds of state each, not the idle TTL's day. A sender who
     * has written before keeps the idle TTL.
     */
    PresenceOutcome presence(ConversationRef conversation, boolean typing, long newStateTtlMs);

    /** {@link #presence(ConversationRef, boolean, long)} with the default typing timeout. */
    default PresenceOutcome presence(ConversationRef conversation, boolean typing) {
        return presence(conversation, typing, Tunables.TYPING_TIMEOUT_MS.defaultValue());
    }

    /** The store's clock (ms), the one all deadlines use. */
    long nowMs();

    /**
     * Claims up to {@code max} batches of one partition that are due: open batches whose deadline passed,
     * in-flight batches whose lease expired, and retries whose time came.
     */
    ClaimResult claim(int partition, int max, long leaseMs, String workerId);

    /** Extends a lease by {@code leaseMs} from now (store clock). */
    LeaseOutcome renew(Lease lease, long leaseMs);

    /** The downstream has the batch: forget it and schedule the next batch of the conversation, if any. */
    LeaseOutcome ack(Lease lease);

    /** Delivery failed: try the same batch again after {@code delayMs} (attempt + 1). */
    LeaseOutcome retry(Lease lease, long delayMs, String error);

    /** Give up on the batch: keep it as a dead letter with the reason, and move on to the next batch. */
    LeaseOutcome deadLetter(Lease lease, Batch batch, String reason);

    /**
     * The bot has the batch and will commit later (HTTP 202 with {@code Rapidfire-Commit: later}, or a queue
     * consumer): the lease ends, the batch stays supersedable ({@link FlightState#AWAITING}) until {@link #commit}
     * or {@code timeoutMs} passes, then it counts as committed and the conversation's next batch follows.
     */
    default LeaseOutcome awaitCommit(Lease lease, long timeoutMs) {
        return awaitCommit(lease, timeoutMs, false);
    }

    /**
     * As {@link #awaitCommit(Lease, long)}; {@code withdrawable}: the batch sits in a queue its consumer takes it from
     * (BullMQ), so a new message does not supersede it directly: the store asks the workers to withdraw it
     * ({@link WakeListener#withdraw}) and the one that can answers with {@link #settle}.
     */
    LeaseOutcome awaitCommit(Lease lease, long timeoutMs, boolean withdrawable);

    /**
     * The answer to a withdraw request for a batch awaiting its commit: {@code withdrawn} (the consumer never took
     * it, and its messages now exist only here) supersedes it whatever the limits say now; not withdrawn (the
     * consumer has it) counts as committed. Either way the conversation's next batch follows. SUPERSEDED: taken back; OK: finished as
     * committed; GONE: not awaiting any more (committed, superseded or finished meanwhile).
     */
    LeaseOutcome settle(int partition, String batchId, boolean withdrawn);

    /**
     * A bot asks, atomically, whether it may post its answer to a batch (one answer per thought,
     * docs/release-rules.md). COMMITTED: yes, and from now on new messages open the next batch; a batch awaiting
     * its commit is finished. SUPERSEDED: the person wrote again, drop the answer. NOT_YET: the person is typing
     * (or the policy's commit floor has not passed): ask again. UNKNOWN: not with a bot. Asking again after
     * COMMITTED answers COMMITTED while the batch is in flight (a bot that crashed after committing gets its batch
     * again and may answer).
     *
     * @param partition the batch's partition ({@link Lease#partition()}; the commit URL carries it)
     */
    CommitResult commit(int partition, String batchId);

    /** Calls {@code listener} when a deadline may now be earlier than a worker's planned wake-up. */
    AutoCloseable onWake(WakeListener listener);

    /** Connection trouble seen by this process, for its registry heartbeat. */
    default ConnectionHealth health() {
        return new ConnectionHealth("", 0, 0);
    }

    record ConnectionHealth(String lastError, long lastErrorAtMs, long reconnects) {
    }

    /** Short description for logs and errors, e.g. "redis 127.0.0.1:6379 db 0" (no secrets). */
    String describe();

    @Override
    void close();

    @FunctionalInterface
    interface WakeListener {
        /** @param dueAtMs store-clock time at which the partition has due work */
        void wake(int partition, long dueAtMs);

        /** A batch was superseded: a worker delivering it stops (the bot's answer would be dropped anyway). */
        default void superseded(int partition, String batchId) {
        }

        /** A batch awaiting its commit in a queue should be withdrawn if its consumer has not taken it ({@link #settle}). */
        default void withdraw(int partition, String batchId) {
        }
    }
}
