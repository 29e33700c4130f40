package io.rapidfire.store.redis;

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
import io.rapidfire.core.Partitioner;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.core.Tunables;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link BatchStore} on Redis: one Lua script per operation (resources {@code /lua/*.lua}, each documents its
 * inputs, arguments and return codes), key names built by {@link RedisKeys}. This class is the store's face and its
 * settings, kept small so that a change to one job touches one file: the parts ({@link RedisStoreParts}) are
 * {@link OpenBatchWrites} (append, presence, flush, clear), {@link Claims}, {@link LeaseWrites} (what happens to a
 * claimed batch), {@link DeadLetterWrites}, {@link HandoverWrites}, {@link Inspection} (read-only), {@link RedisSharedState},
 * {@link ReplicatedWrites} (WAIT), {@link RedisCalls} and {@link RedisHealth} (errors and connection trouble),
 * {@link RedisClock} and {@link WakeMessages}.
 */
public final class RedisBatchStore implements BatchStore {
    private final RedisStoreParts parts;
    private final StoreContext ctx;

    /**
     * How an append is acknowledged and how a Cluster's topology is followed.
     *
     * @param waitReplicas      0: an append is acknowledged once its master has it (Redis replicates
     *                          asynchronously, so an unclean fail-over can lose the last writes); n: also
     *                          {@code WAIT n waitTimeoutMs}, and an append that fewer replicas confirmed fails
     * @param topologyRefreshMs how often a Cluster's slot map is re-read without a hint that it changed
     */
    public record Durability(int waitReplicas, long waitTimeoutMs, long topologyRefreshMs) {
        public static final Durability DEFAULT = new Durability(Tunables.WAIT_REPLICAS.defaultInt(),
                Tunables.WAIT_TIMEOUT_MS.defaultValue(), Tunables.CLUSTER_REFRESH_MS.defaultValue());

        public Durability {
            Tunables.WAIT_REPLICAS.check("waitReplicas", waitReplicas);
            Tunables.WAIT_TIMEOUT_MS.check("waitTimeout", waitTimeoutMs);
            Tunables.CLUSTER_REFRESH_MS.check("clusterRefresh", topologyRefreshMs);
        }
    }

    /**
     * A store on the Redis at {@code redisUrl} (redis://, rediss://, redis-sentinel://, redis-cluster://). Every
     * setting not given is its default ({@link Tunables}); {@link Builder#build()} validates them all, naming
     * the setting and its range, then connects.
     */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    public static final class Builder {
        private final String redisUrl;
        private String clientName = "rapidfire";
        private long timeoutMs = Tunables.REDIS_TIMEOUT_MS.defaultValue();
        private String namespace = Tunables.DEFAULT_NAMESPACE;
        private long partitions = Tunables.PARTITIONS.defaultValue();
        private long dedupWindowMs = Tunables.DEDUP_WINDOW_MS.defaultValue();
        private String joiner = Tunables.DEFAULT_JOINER;
        private Durability durability = Durability.DEFAULT;
        private boolean manualClock;

        private Builder(String redisUrl) {
            this.redisUrl = redisUrl;
        }

        /** Shown in CLIENT LIST (and by the doctor) for this process's connections. */
        public Builder clientName(String name) {
            clientName = name;
            return this;
        }

        /** Command timeout; past it an operation fails with StoreUnavailableException (a webhook answers 503). */
        public Builder timeout(Duration d) {
            timeoutMs = d.toMillis();
            return this;
        }

        /** Prefix of every key; one deployment per namespace. */
        public Builder namespace(String ns) {
            namespace = ns;
            return this;
        }

        /** Fixed for a deployment: every process must use the same number (checked at connect). */
        public Builder partitions(int n) {
            partitions = n;
            return this;
        }

        /** How long message ids are remembered; also the TTL of an idle conversation's state. */
        public Builder dedupWindow(Duration d) {
            dedupWindowMs = d.toMillis();
            return this;
        }

        /**
         * Glues texts into a batch's combined text for conversations whose state has no joiner recorded (state
         * written before the per-policy joiner was stored); otherwise the joiner of the policy of the latest
         * append is used, as in every store.
         */
        public Builder joiner(String j) {
            joiner = j;
            return this;
        }

        public Builder durability(Durability d) {
            durability = d;
            return this;
        }

        /**
         * Tests only: the scripts read the time from {@code <ns>:{p<N>}:clock} keys set by
         * {@link RedisBatchStore#setManualTime(long)} instead of Redis TIME, so the release rules can be checked
         * at exact times.
         */
        public Builder manualClock() {
            manualClock = true;
            return this;
        }

        public RedisBatchStore build() {
            Tunables.REDIS_TIMEOUT_MS.check("timeout", timeoutMs);
            Tunables.PARTITIONS.check("partitions", partitions);
            Tunables.DEDUP_WINDOW_MS.check("dedupWindow", dedupWindowMs);
            if (!namespace.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("namespace '" + namespace + "' must be 1 to 64 characters of "
                        + "A-Z a-z 0-9 . _ - (setting RAPIDFIRE_NAMESPACE)");
            }
            if (joiner == null) {
                throw new IllegalArgumentException("joiner must not be null (use \"\" for none; setting RAPIDFIRE_JOINER)");
            }
            String problem = RedisConnector.problem(redisUrl);
            if (problem != null) {
                throw new IllegalArgumentException("REDIS_URL " + problem);
            }
            return new RedisBatchStore(this);
        }
    }

    private RedisBatchStore(Builder b) {
        this.parts = RedisStoreParts.connect(b.redisUrl, b.clientName, b.timeoutMs, b.namespace, (int) b.partitions,
                b.dedupWindowMs, b.joiner, b.durability, b.manualClock);
        this.ctx = parts.ctx;
    }

    /** The append script as Redis runs it (includes inlined), for the benchmark's EVALSHA ceiling. */
    public static String appendScriptSource() {
        return new LuaScripts().source(LuaScripts.Script.APPEND);
    }

    public RedisLink link() {
        return ctx.link();
    }

    public RedisKeys keyspace() {
        return ctx.keys();
    }

    @Override
    public int partitions() {
        return ctx.partitions();
    }

    @Override
    public int partitionOf(ConversationRef conversation) {
        return Partitioner.partitionOf(conversation, ctx.partitions());
    }

    @Override
    public AppendResult append(Message message, Policy policy, ReleaseReason releaseNow) {
        return parts.open.append(message, policy, releaseNow);
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(Message message, Policy policy, ReleaseReason releaseNow) {
        return parts.open.appendAsync(message, policy, releaseNow);
    }

    @Override
    public PresenceOutcome presence(ConversationRef c, boolean typing, long newStateTtlMs) {
        return parts.open.presence(c, typing, newStateTtlMs);
    }

    @Override
    public boolean flush(ConversationRef c) {
        return parts.open.flush(c);
    }

    @Override
    public long clear(ConversationRef c) {
        return parts.open.clear(c);
    }

    @Override
    public ClaimResult claim(int partition, int max, long leaseMs, String workerId) {
        return parts.claims.claim(partition, max, leaseMs, workerId);
    }

    @Override
    public LeaseOutcome renew(Lease l, long leaseMs) {
        return parts.leases.renew(l, leaseMs);
    }

    @Override
    public LeaseOutcome ack(Lease l) {
        return parts.leases.ack(l);
    }

    @Override
    public LeaseOutcome awaitCommit(Lease l, long timeoutMs, boolean withdrawable) {
        return parts.leases.awaitCommit(l, timeoutMs, withdrawable);
    }

    @Override
    public LeaseOutcome settle(int p, String batchId, boolean withdrawn) {
        return parts.leases.settle(p, batchId, withdrawn);
    }

    @Override
    public CommitResult commit(int p, String batchId) {
        return parts.leases.commit(p, batchId);
    }

    @Override
    public LeaseOutcome retry(Lease l, long delayMs, String error) {
        return parts.leases.retry(l, delayMs, error);
    }

    @Override
    public LeaseOutcome deadLetter(Lease l, Batch batch, String reason) {
        return parts.leases.deadLetter(l, batch, reason);
    }

    @Override
    public List<PendingBatch> pending(int limit) {
        return parts.inspection.pending(limit);
    }

    @Override
    public List<InflightBatch> inflight(int limit) {
        return parts.inspection.inflight(limit);
    }

    @Override
    public StoreCounts counts() {
        return parts.inspection.counts();
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        return parts.inspection.deadLetters(limit);
    }

    @Override
    public DeadLetter deadLetter(String batchId) {
        return parts.inspection.deadLetter(batchId);
    }

    @Override
    public int replayDeadLetter(String batchId) {
        return parts.deadLetters.replay(batchId);
    }

    @Override
    public boolean purgeDeadLetter(String batchId) {
        return parts.deadLetters.purge(batchId);
    }

    // Finding, and handovers (conversation control): each one call on its part.
    @Override
    public List<Found> find(String text, int limit) { return parts.finder.find(text, limit); }

    @Override
    public Handover handover(ConversationRef conversation) { return parts.handovers.get(conversation); }

    @Override
    public HandoverChange startHandover(ConversationRef conversation, long forMs, HandoverBy by) {
        return parts.handovers.start(conversation, forMs, by);
    }

    @Override
    public Handover endHandover(ConversationRef conversation) { return parts.handovers.end(conversation); }

    @Override
    public List<Handover> expiredHandovers(int partition, int max) { return parts.handovers.expired(partition, max); }

    @Override
    public boolean forgetHandover(Handover expired) { return parts.handovers.forget(expired); }

    @Override
    public List<Handover> handovers(int limit) { return parts.handovers.active(limit); }

    @Override
    public void recordChange(String line) { parts.handovers.record(line); }

    @Override
    public List<String> recentChanges(int limit) { return parts.handovers.recent(limit); }

    @Override
    public Map<String, String> runtimePolicies() {
        return parts.shared.runtimePolicies();
    }

    @Override
    public void setRuntimePolicy(String tenant, String spec) {
        parts.shared.setRuntimePolicy(tenant, spec);
    }

    @Override
    public boolean clearRuntimePolicy(String tenant) {
        return parts.shared.clearRuntimePolicy(tenant);
    }

    @Override
    public boolean markOnce(String token, long ttlMs) {
        return parts.shared.markOnce(token, ttlMs);
    }

    @Override
    public boolean isMarked(String token) {
        return parts.shared.isMarked(token);
    }

    @Override
    public LinkOutcome link(String tenant, String alias, String canonical, long ttlMs) {
        return parts.shared.link(tenant, alias, canonical, ttlMs);
    }

    @Override
    public boolean unlink(String tenant, String alias) {
        return parts.shared.unlink(tenant, alias);
    }

    @Override
    public String linked(String tenant, String alias) {
        return parts.shared.linked(tenant, alias);
    }

    @Override
    public long nowMs() {
        return parts.clock.nowMs();
    }

    /** Tests only, on a store built with {@link Builder#manualClock()}: sets the time every script reads. */
    public void setManualTime(long ms) {
        parts.clock.set(ms);
    }

    @Override
    public AutoCloseable onWake(WakeListener listener) {
        return WakeMessages.subscribe(ctx.link(), ctx.keys().wakeChannel(), listener);
    }

    @Override
    public ConnectionHealth health() {
        return ctx.health().snapshot();
    }

    @Override
    public String describe() {
        return ctx.description();
    }

    @Override
    public void close() {
        parts.close();
    }
}
