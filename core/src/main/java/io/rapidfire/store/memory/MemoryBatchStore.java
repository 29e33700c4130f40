package io.rapidfire.store.memory;

import io.rapidfire.core.AppendResult;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Handover;
import io.rapidfire.core.HandoverBy;
import io.rapidfire.core.Handovers.HandoverChange;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Message;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.core.Tunables;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The embedded store: the same semantics as the Redis store's scripts (one contract test suite runs against
 * both), one lock for atomicity, this JVM's clock as the single clock. Nothing survives a restart: it is for
 * trying Rapidfire out and for embedding where losing pending batches on a crash is acceptable.
 *
 * <p>This class is the store's face and its settings; the state and its one lock are {@link MemoryState}, and each
 * job is a part of its own: {@link MemoryOpenBatches}, {@link MemoryClaims}, {@link MemoryLeases},
 * {@link MemoryInspection}, {@link MemoryDeadLetters}, {@link MemorySharedState}.
 */
public final class MemoryBatchStore implements BatchStore {
    private final MemoryState state;
    private final MemoryHandovers handovers;
    private final MemoryOpenBatches open;
    private final MemoryClaims claims;
    private final MemoryLeases leases;
    private final MemoryInspection inspection;
    private final MemoryDeadLetters deadLetters;
    /** Marks, runtime policies and lid-phone pairs: a job of its own (MemorySharedState). */
    private final MemorySharedState shared;

    /** A store whose unset settings are their defaults ({@link Tunables}); build() validates them. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long partitions = Tunables.PARTITIONS.defaultValue();
        private long dedupWindowMs = Tunables.DEDUP_WINDOW_MS.defaultValue();
        private LongSupplier clock = System::currentTimeMillis;

        private Builder() {
        }

        public Builder partitions(int n) {
            partitions = n;
            return this;
        }

        /** How long message ids are remembered; an idle conversation is forgotten after it. */
        public Builder dedupWindow(Duration d) {
            dedupWindowMs = d.toMillis();
            return this;
        }

        /** The one clock of this store (ms); tests pass one they move by hand. */
        public Builder clock(LongSupplier c) {
            clock = c;
            return this;
        }

        public MemoryBatchStore build() {
            return new MemoryBatchStore(Tunables.PARTITIONS.checkInt("partitions", partitions),
                    Tunables.DEDUP_WINDOW_MS.check("dedupWindow", dedupWindowMs), clock);
        }
    }

    private MemoryBatchStore(int partitions, long dedupWindowMs, LongSupplier clock) {
        this.state = new MemoryState(partitions, dedupWindowMs, clock);
        this.open = new MemoryOpenBatches(state);
        this.claims = new MemoryClaims(state);
        this.leases = new MemoryLeases(state);
        this.inspection = new MemoryInspection(state);
        this.deadLetters = new MemoryDeadLetters(state);
        this.shared = new MemorySharedState(clock);
        this.handovers = new MemoryHandovers(state);
    }

    @Override
    public int partitions() {
        return state.partitions;
    }

    @Override
    public int partitionOf(ConversationRef conversation) {
        return state.partitionOf(conversation);
    }

    @Override
    public AppendResult append(Message message, Policy policy, ReleaseReason releaseNow) {
        return open.append(message, policy, releaseNow);
    }

    @Override
    public PresenceOutcome presence(ConversationRef ref, boolean typing, long newStateTtlMs) {
        return open.presence(ref, typing, newStateTtlMs);
    }

    @Override
    public boolean flush(ConversationRef ref) {
        return open.flush(ref);
    }

    @Override
    public long clear(ConversationRef ref) {
        return open.clear(ref);
    }

    @Override
    public ClaimResult claim(int p, int max, long leaseMs, String workerId) {
        return claims.claim(p, max, leaseMs, workerId);
    }

    @Override
    public LeaseOutcome renew(Lease l, long leaseMs) {
        return leases.renew(l, leaseMs);
    }

    @Override
    public LeaseOutcome ack(Lease l) {
        return leases.ack(l);
    }

    @Override
    public LeaseOutcome deadLetter(Lease l, Batch batch, String reason) {
        return leases.deadLetter(l, batch, reason);
    }

    @Override
    public LeaseOutcome retry(Lease l, long delayMs, String error) {
        return leases.retry(l, delayMs, error);
    }

    @Override
    public LeaseOutcome awaitCommit(Lease l, long timeoutMs, boolean withdrawable) {
        return leases.awaitCommit(l, timeoutMs, withdrawable);
    }

    @Override
    public LeaseOutcome settle(int partition, String batchId, boolean withdrawn) {
        return leases.settle(partition, batchId, withdrawn);
    }

    @Override
    public CommitResult commit(int partition, String batchId) {
        return leases.commit(partition, batchId);
    }

    /** Conversations held in memory, pending or idle (for tests of the garbage collection). */
    public int conversationsHeld() {
        return inspection.conversationsHeld();
    }

    @Override
    public List<PendingBatch> pending(int limit) {
        return inspection.pending(limit);
    }

    @Override
    public List<InflightBatch> inflight(int limit) {
        return inspection.inflight(limit);
    }

    @Override
    public StoreCounts counts() {
        return inspection.counts();
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        return deadLetters.list(limit);
    }

    @Override
    public DeadLetter deadLetter(String batchId) {
        return deadLetters.show(batchId);
    }

    @Override
    public int replayDeadLetter(String batchId) {
        return deadLetters.replay(batchId);
    }

    @Override
    public boolean purgeDeadLetter(String batchId) {
        return deadLetters.purge(batchId);
    }

    @Override
    public boolean markOnce(String token, long ttlMs) {
        return shared.markOnce(token, ttlMs);
    }

    @Override
    public boolean isMarked(String token) {
        return shared.isMarked(token);
    }

    @Override
    public LinkOutcome link(String tenant, String alias, String canonical, long ttlMs) {
        return shared.link(tenant, alias, canonical, ttlMs);
    }

    @Override
    public boolean unlink(String tenant, String alias) {
        return shared.unlink(tenant, alias);
    }

    @Override
    public String linked(String tenant, String alias) {
        return shared.linked(tenant, alias);
    }

    @Override
    public Map<String, String> runtimePolicies() {
        return shared.runtimePolicies();
    }

    @Override
    public void setRuntimePolicy(String tenant, String spec) {
        shared.setRuntimePolicy(tenant, spec);
    }

    @Override
    public boolean clearRuntimePolicy(String tenant) {
        return shared.clearRuntimePolicy(tenant);
    }

    @Override
    public List<Found> find(String text, int limit) {
        return inspection.find(text, limit);
    }

    @Override
    public Handover handover(ConversationRef conversation) {
        return handovers.active(conversation.key());
    }

    @Override
    public HandoverChange startHandover(ConversationRef conversation, long forMs, HandoverBy by) {
        return handovers.start(conversation, forMs, by);
    }

    @Override
    public Handover endHandover(ConversationRef conversation) {
        return handovers.end(conversation);
    }

    @Override
    public List<Handover> expiredHandovers(int partition, int max) {
        return handovers.expired(partition, max);
    }

    @Override
    public boolean forgetHandover(Handover expired) {
        return handovers.forget(expired);
    }

    @Override
    public List<Handover> handovers(int limit) {
        return handovers.list(limit);
    }

    @Override
    public void recordChange(String line) {
        handovers.record(line);
    }

    @Override
    public List<String> recentChanges(int limit) {
        return handovers.recent(limit);
    }

    @Override
    public long nowMs() {
        return state.now();
    }

    @Override
    public AutoCloseable onWake(WakeListener listener) {
        state.listeners.add(listener);
        return () -> state.listeners.remove(listener);
    }

    @Override
    public String describe() {
        return "memory (embedded, not durable)";
    }

    @Override
    public void close() {
        state.listeners.clear();
    }
}
