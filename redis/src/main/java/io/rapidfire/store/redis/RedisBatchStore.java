package io.rapidfire.store.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.core.AppendResult;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Message;
import io.rapidfire.core.NotReplicatedException;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Partitioner;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.Pace;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.core.StoreFault;
import io.rapidfire.core.StoreFullException;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.core.Tunables;
import io.rapidfire.store.redis.LuaScripts.Script;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link BatchStore} on Redis: one Lua script per operation (resources {@code /lua/*.lua}, each documents its
 * inputs, arguments and return codes), key names built by {@link RedisKeys}. Read-only inspection reads
 * the sorted-set indexes; it never scans the keyspace.
 */
public final class RedisBatchStore implements BatchStore {
    private static final Logger log = LoggerFactory.getLogger(RedisBatchStore.class);

    private final RedisLink link;
    private final RedisClusterCommands<String, String> redis;
    /** Marks, runtime policies and lid-phone pairs: a job of its own (RedisSharedState). */
    private final RedisSharedState shared;
    private final io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> async;
    private final Durability durability;
    private final LuaScripts scripts;
    private final boolean manualClock;
    private final RedisKeys keys;
    private final int partitions;
    private final long dedupWindowMs;
    private final String joiner;
    private final String description;
    private final java.util.concurrent.atomic.AtomicLong reconnects = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastError = "";
    private volatile long lastErrorAtMs;

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
        this.scripts = new LuaScripts(b.manualClock);
        this.manualClock = b.manualClock;
        this.description = "redis " + RedisConnector.describe(b.redisUrl);
        this.partitions = (int) b.partitions;
        this.keys = new RedisKeys(b.namespace, partitions);
        this.dedupWindowMs = b.dedupWindowMs;
        this.joiner = b.joiner;
        this.durability = b.durability;
        try {
            this.link = RedisLink.open(b.redisUrl, b.clientName, Duration.ofMillis(b.timeoutMs),
                    Duration.ofMillis(durability.topologyRefreshMs()));
        } catch (RedisException e) {
            throw new StoreUnavailableException("cannot connect to " + description + ": " + e.getMessage()
                    + ". Start Redis or fix REDIS_URL.", e);
        }
        this.redis = link.commands();
        this.shared = new RedisSharedState(redis, keys, this::call);
        this.async = link.asyncCommands();
        // Connection trouble is published in this process's heartbeat, for the doctor's "redis-errors" check.
        // A reconnect attempt only follows a connection lost against our will (closing one of our own
        // connections publishes a plain disconnect, which is not trouble).
        link.events().get().subscribe(e -> {
            if (e instanceof io.lettuce.core.event.connection.ReconnectAttemptEvent r) {
                reconnects.incrementAndGet();
                lastError = "connection to Redis lost; reconnect attempt " + r.getAttempt() + " to " + r.remoteAddress();
                lastErrorAtMs = System.currentTimeMillis();
            }
        }, endOfClient -> {
            // The event bus ends with an error when the client shuts down: nothing to report.
        });
        checkPartitions();
    }

    /**
     * Every process of a deployment must spread conversations over the same number of partitions: a worker
     * that knows fewer would never claim the others, and their batches would wait forever. The first process
     * records the number; the others must agree.
     */
    private void checkPartitions() {
        String meta = keys.meta();
        call("setup", meta, () -> redis.hsetnx(meta, "partitions", Integer.toString(partitions)));
        String recorded = call("setup", meta, () -> redis.hget(meta, "partitions"));
        if (!Integer.toString(partitions).equals(recorded)) {
            close();
            throw new IllegalStateException("RAPIDFIRE_PARTITIONS=" + partitions + " but the deployment in " + description
                    + " under namespace '" + keys.namespace() + "' uses " + recorded + " partitions (recorded in " + meta
                    + "). Set RAPIDFIRE_PARTITIONS=" + recorded + " on every process; changing it needs an empty store "
                    + "(or a new RAPIDFIRE_NAMESPACE).");
        }
    }

    /** The append script as Redis runs it (includes inlined), for the benchmark's EVALSHA ceiling. */
    public static String appendScriptSource() {
        return new LuaScripts().source(LuaScripts.Script.APPEND);
    }

    public RedisLink link() {
        return link;
    }

    public RedisKeys keyspace() {
        return keys;
    }

    @Override
    public int partitions() {
        return partitions;
    }

    @Override
    public int partitionOf(ConversationRef conversation) {
        return Partitioner.partitionOf(conversation, partitions);
    }

    @Override
    public AppendResult append(Message message, Policy policy, ReleaseReason releaseNow) {
        AppendCall call = appendCall(message, policy, releaseNow);
        // Not acknowledged when too few replicas confirm: the caller answers 503 and the platform retries; the
        // retry is dropped as a duplicate (same message id) if this copy survives, and stored if it does not.
        List<Object> r = write("append", call.conv, Script.APPEND, call.keys, call.args, res -> true,
                res -> "stored message " + message.id() + " of " + call.conv + " on its master",
                "not acknowledged");
        return appended(r);
    }

    /**
     * One script call on Lettuce's asynchronous API: nothing waits while Redis answers, and the future completes on
     * Lettuce's event loop. With RAPIDFIRE_WAIT_REPLICAS the append and its WAIT run as {@link #append} does, on a
     * thread of their own, so the caller is never held either way.
     */
    @Override
    public java.util.concurrent.CompletableFuture<AppendResult> appendAsync(Message message, Policy policy,
                                                                           ReleaseReason releaseNow) {
        if (durability.waitReplicas() > 0) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> append(message, policy, releaseNow),
                    waitingAppends());
        }
        AppendCall call;
        try {
            call = appendCall(message, policy, releaseNow);
        } catch (RuntimeException invalid) {
            return java.util.concurrent.CompletableFuture.failedFuture(invalid);
        }
        return scripts.<List<Object>>runAsync(async, Script.APPEND, ScriptOutputType.MULTI, call.keys, call.args)
                .handle((r, e) -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    if (cause instanceof RedisException re) {
                        throw refused("append", call.conv, re);
                    }
                    if (cause != null) {
                        throw new java.util.concurrent.CompletionException(cause);
                    }
                    return appended(r);
                });
    }

    private java.util.concurrent.ExecutorService waitingAppends;

    /** Threads for appends that wait for replicas (appendAsync with RAPIDFIRE_WAIT_REPLICAS), made on first use. */
    private synchronized java.util.concurrent.ExecutorService waitingAppends() {
        if (waitingAppends == null) {
            waitingAppends = java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "rapidfire-append-wait");
                t.setDaemon(true);
                return t;
            });
        }
        return waitingAppends;
    }

    /** The append script's keys and arguments for one message (one place for the sync and async paths). */
    private record AppendCall(String conv, String[] keys, String[] args) {
    }

    private AppendCall appendCall(Message message, Policy policy, ReleaseReason releaseNow) {
        int bytes = ReleaseRules.requireFits(message, policy);
        ConversationRef c = message.conversation();
        int p = partitionOf(c);
        String conv = c.key();
        String json = MessageCodec.encode(message);
        // The first-message rule needs the stored state: the script applies it (ruleAskedAtAppend).
        ReleaseReason asked = ReleaseRules.askedByMessage(releaseNow, message, policy);
        String[] k = {keys.conversation(p, conv), keys.open(p, conv), keys.seen(p, conv), keys.due(p),
                keys.flight(p, conv), keys.inflight(p)};
        String[] a = {conv, message.id() == null ? "" : message.id(), json, Integer.toString(bytes),
                Long.toString(policy.quietMs()), Long.toString(policy.maxWaitMs()),
                Integer.toString(policy.maxMessages()), Integer.toString(policy.maxBytes()),
                Long.toString(dedupWindowMs), keys.wakeChannel(), Integer.toString(p),
                asked == null ? "" : asked.wire(), policy.joiner(), policy.paceSpec(),
                policy.firstMessageAtOnce() ? "1" : "0"};
        return new AppendCall(conv, k, a);
    }

    private static AppendResult appended(List<Object> r) {
        return new AppendResult((Long) r.get(0) == 0, (Long) r.get(1), (Long) r.get(2));
    }

    @Override
    @SuppressWarnings("unchecked")
    public ClaimResult claim(int partition, int max, long leaseMs, String workerId) {
        String seed = UUID.randomUUID().toString();
        String[] k = {keys.due(partition), keys.inflight(partition)};
        String[] a = {keys.partitionPrefix(partition), Integer.toString(max), Long.toString(leaseMs), workerId, seed,
                Long.toString(dedupWindowMs), keys.wakeChannel(), Integer.toString(partition)};
        // A claim that no replica has seen must not be delivered: after a fail-over the new master would release
        // the same messages again under another batchId, and the bot could not tell them apart. Unconfirmed, the
        // batches stay leased here and come back, same batchId, when the lease runs out.
        List<Object> r = write("claim", "partition " + partition, Script.CLAIM, k, a,
                res -> !((List<Object>) res.get(2)).isEmpty(),
                res -> "claimed " + ((List<Object>) res.get(2)).size() + " batch(es) of partition " + partition,
                "not delivering them (offered again, same batchId, when their lease of " + leaseMs + " ms ends)");
        List<ClaimedBatch> out = new ArrayList<>();
        for (Object o : (List<Object>) r.get(2)) {
            List<Object> b = (List<Object>) o;
            String conv = (String) b.get(0);
            ConversationRef ref = ConversationRef.parseKey(conv);
            List<StoredMessage> messages = new ArrayList<>();
            for (Object e : (List<Object>) b.get(8)) {
                messages.add(decodeEntry((String) e, ref));
            }
            Lease lease = new Lease(partition, conv, (String) b.get(1), (String) b.get(2));
            String supersedes = (String) b.get(11);
            Batch batch = Batch.of(lease.batchId(), ref, asLong(b.get(7)), messages,
                    ReleaseReason.fromWire((String) b.get(4)), (int) asLong(b.get(3)),
                    b.get(10) != null ? (String) b.get(10) : joiner,
                    supersedes.isEmpty() ? List.of() : List.of(supersedes.split(",")), asLong(b.get(12)));
            out.add(new ClaimedBatch(lease, batch, asLong(b.get(9)), asLong(b.get(13)) == 1));
        }
        for (Object gone : (List<Object>) r.get(3)) {
            log.warn("Conversation {} was in an index of partition {} but its batch keys were gone: something that "
                    + "is not Rapidfire deleted keys under '{}:' (check `CLIENT LIST` and `MONITOR` for DEL "
                    + "commands; run one Rapidfire deployment per namespace)", gone, partition, keys.namespace());
        }
        return new ClaimResult(out, (Long) r.get(0), (Long) r.get(1));
    }

    private static StoredMessage decodeEntry(String entry, ConversationRef ref) {
        int a = entry.indexOf('|');
        int b = entry.indexOf('|', a + 1);
        return new StoredMessage(MessageCodec.decode(entry.substring(b + 1), ref), Long.parseLong(entry.substring(0, a)));
    }

    private static long asLong(Object o) {
        return o instanceof Long l ? l : Long.parseLong(o.toString());
    }

    @Override
    public LeaseOutcome renew(Lease l, long leaseMs) {
        Object r = call("renew", l.conversationKey(), () -> scripts.run(redis, Script.RENEW, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(l.partition(), l.conversationKey()), keys.inflight(l.partition())},
                l.conversationKey(), l.batchId(), l.token(), Long.toString(leaseMs)));
        return ScriptStatus.lease(r, "renew");
    }

    @Override
    public LeaseOutcome ack(Lease l) {
        int p = l.partition();
        String conv = l.conversationKey();
        Object r = call("ack", conv, () -> scripts.run(redis, Script.ACK, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.flight(p, conv), keys.due(p), keys.inflight(p),
                        keys.batches(p)},
                conv, l.batchId(), l.token(), Long.toString(dedupWindowMs), keys.wakeChannel(), Integer.toString(p)));
        return ScriptStatus.lease(r, "ack");
    }

    @Override
    public LeaseOutcome awaitCommit(Lease l, long timeoutMs, boolean withdrawable) {
        int p = l.partition();
        String conv = l.conversationKey();
        Object r = call("awaitCommit", conv, () -> scripts.run(redis, Script.AWAIT_COMMIT, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.inflight(p)}, conv, l.batchId(), l.token(),
                Long.toString(timeoutMs), keys.wakeChannel(), Integer.toString(p), withdrawable ? "1" : "0"));
        return ScriptStatus.lease(r, "awaitCommit");
    }

    @Override
    public LeaseOutcome settle(int p, String batchId, boolean withdrawn) {
        if (p < 0 || p >= partitions) {
            return LeaseOutcome.GONE;
        }
        String conv = call("settle", batchId, () -> redis.hget(keys.batches(p), batchId));
        if (conv == null) {
            return LeaseOutcome.GONE;
        }
        Object r = call("settle", conv, () -> scripts.run(redis, Script.SETTLE, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.open(p, conv), keys.flight(p, conv), keys.due(p),
                        keys.inflight(p), keys.batches(p)}, conv, batchId, withdrawn ? "1" : "0",
                Long.toString(dedupWindowMs), keys.wakeChannel(), Integer.toString(p)));
        return ScriptStatus.lease(r, "settle");
    }

    @Override
    @SuppressWarnings("unchecked")
    public CommitResult commit(int p, String batchId) {
        if (p < 0 || p >= partitions) {
            return CommitResult.unknown();
        }
        String conv = call("commit", batchId, () -> redis.hget(keys.batches(p), batchId));
        if (conv == null) {
            String done = call("commit", batchId, () -> redis.get(keys.tombstone(p, batchId)));
            if (done == null) {
                return CommitResult.unknown();
            }
            return done.equals("c") ? CommitResult.committed() : CommitResult.superseded(done.substring(2));
        }
        List<Object> r = call("commit", conv, () -> scripts.run(redis, Script.COMMIT, ScriptOutputType.MULTI,
                new String[]{keys.conversation(p, conv), keys.flight(p, conv), keys.due(p), keys.inflight(p),
                        keys.batches(p)}, conv, batchId, Long.toString(dedupWindowMs), keys.wakeChannel(),
                Integer.toString(p)));
        long code = (Long) r.get(0);
        String by = (String) r.get(1);
        if (code == 1) {
            return CommitResult.committed();
        } else if (code == 2) {
            return CommitResult.superseded(by.isEmpty() ? null : by);
        } else if (code == 3) {
            return CommitResult.notYet((Long) r.get(2));
        } else if (code == -1) {
            return CommitResult.unknown();
        }
        throw new IllegalStateException("script commit-5.lua returned unknown code " + code
                + "; the Lua resources and the Java code are from different versions");
    }

    @Override
    public LeaseOutcome retry(Lease l, long delayMs, String error) {
        int p = l.partition();
        String conv = l.conversationKey();
        Object r = call("retry", conv, () -> scripts.run(redis, Script.RETRY, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.inflight(p)},
                conv, l.batchId(), l.token(), Long.toString(Math.max(0, delayMs)), error == null ? "" : error,
                keys.wakeChannel(), Integer.toString(p)));
        return ScriptStatus.lease(r, "retry");
    }

    @Override
    public LeaseOutcome deadLetter(Lease l, Batch batch, String reason) {
        int p = l.partition();
        String conv = l.conversationKey();
        String payload = DeadLetter.document(batch, reason);
        Object r = call("deadLetter", conv, () -> scripts.run(redis, Script.DEAD_LETTER, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.flight(p, conv), keys.due(p), keys.inflight(p),
                        keys.deadLetters(p), keys.deadLetterIndex(p), keys.deadLetterMessages(p, l.batchId()),
                        keys.batches(p)},
                conv, l.batchId(), l.token(), payload, Long.toString(dedupWindowMs), keys.wakeChannel(),
                Integer.toString(p)));
        return ScriptStatus.lease(r, "deadLetter");
    }

    @Override
    @SuppressWarnings("unchecked")
    public PresenceOutcome presence(ConversationRef c, boolean typing, long newStateTtlMs) {
        int p = partitionOf(c);
        List<Object> r = call("presence", c.key(), () -> scripts.run(redis, Script.PRESENCE, ScriptOutputType.MULTI,
                new String[]{keys.conversation(p, c.key()), keys.due(p)}, c.key(), typing ? "1" : "0",
                keys.wakeChannel(), Integer.toString(p), Long.toString(dedupWindowMs), Long.toString(newStateTtlMs)));
        return PresenceOutcome.ofCode((Long) r.get(0));
    }

    @Override
    public boolean flush(ConversationRef c) {
        int p = partitionOf(c);
        Long r = call("flush", c.key(), () -> scripts.run(redis, Script.FLUSH, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, c.key()), keys.due(p)}, c.key(), keys.wakeChannel(),
                Integer.toString(p)));
        return r != 0;
    }

    @Override
    public long clear(ConversationRef c) {
        int p = partitionOf(c);
        String conv = c.key();
        return call("clear", conv, () -> scripts.run(redis, Script.CLEAR, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.open(p, conv), keys.flight(p, conv), keys.due(p),
                        keys.inflight(p), keys.batches(p)}, conv, Long.toString(dedupWindowMs)));
    }

    @Override
    public List<PendingBatch> pending(int limit) {
        List<PendingBatch> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int part = p;
            List<ScoredValue<String>> due = call("pending", keys.due(p),
                    () -> redis.zrangeWithScores(keys.due(part), 0, limit - 1));
            for (ScoredValue<String> d : due) {
                Map<String, String> h = call("pending", d.getValue(),
                        () -> redis.hgetall(keys.conversation(part, d.getValue())));
                long on = num(h, "on");
                long ob = num(h, "ob");
                long of = num(h, "of");
                long ol = num(h, "ol");
                Policy stored = new Policy(num(h, "pq"), Math.max(1, num(h, "pw")), (int) Math.max(1, num(h, "pn")),
                        (int) Math.max(1, num(h, "pb")), h.getOrDefault("pj", joiner)).withPaceSpec(h.get("px"));
                Pace pace = Pace.of(num(h, "yp") == 1, ol, num(h, "yc"), num(h, "ys"), num(h, "gm"), num(h, "gd"));
                String fl = h.getOrDefault("fl", "");
                ReleaseReason rule = ReleaseRules.reason(on, ob, false, of, ol,
                        fl.isEmpty() ? null : ReleaseReason.fromWire(fl), stored, pace);
                out.add(new PendingBatch(ConversationRef.parseKey(d.getValue()), p, on, ob, of, ol,
                        (long) d.getScore(), rule, pace.presence() ? pace.composing() : null));
            }
        }
        return out;
    }

    @Override
    public List<InflightBatch> inflight(int limit) {
        List<InflightBatch> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int part = p;
            List<ScoredValue<String>> fl = call("inflight", keys.inflight(p),
                    () -> redis.zrangeWithScores(keys.inflight(part), 0, limit - 1));
            for (ScoredValue<String> f : fl) {
                Map<String, String> h = call("inflight", f.getValue(),
                        () -> redis.hgetall(keys.conversation(part, f.getValue())));
                out.add(new InflightBatch(ConversationRef.parseKey(f.getValue()), p, h.get("fid"),
                        (int) num(h, "fatt"), FlightState.fromWire(h.get("fstate")), (long) f.getScore(),
                        h.get("fworker"), h.get("ferr"), num(h, "on")));
            }
        }
        return out;
    }

    private static long num(Map<String, String> h, String field) {
        String v = h.get(field);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public StoreCounts counts() {
        long pending = 0;
        long inflight = 0;
        long dead = 0;
        for (int p = 0; p < partitions; p++) {
            int part = p;
            pending += call("counts", keys.due(p), () -> redis.zcard(keys.due(part)));
            inflight += call("counts", keys.inflight(p), () -> redis.zcard(keys.inflight(part)));
            dead += call("counts", keys.deadLetterIndex(p), () -> redis.zcard(keys.deadLetterIndex(part)));
        }
        return new StoreCounts(pending, inflight, dead);
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int part = p;
            List<ScoredValue<String>> ids = call("deadLetters", keys.deadLetterIndex(p),
                    () -> redis.zrangeWithScores(keys.deadLetterIndex(part), 0, limit - 1));
            for (ScoredValue<String> id : ids) {
                String doc = call("deadLetters", id.getValue(), () -> redis.hget(keys.deadLetters(part), id.getValue()));
                if (doc != null) {
                    out.add(new DeadLetter(id.getValue(), p, (long) id.getScore(), doc));
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(DeadLetter::deadAtMs));
        return out;
    }

    @Override
    public DeadLetter deadLetter(String batchId) {
        for (int p = 0; p < partitions; p++) {
            int part = p;
            String doc = call("deadLetter", batchId, () -> redis.hget(keys.deadLetters(part), batchId));
            if (doc != null) {
                Double at = call("deadLetter", batchId, () -> redis.zscore(keys.deadLetterIndex(part), batchId));
                return new DeadLetter(batchId, p, at == null ? 0 : at.longValue(), doc);
            }
        }
        return null;
    }

    @Override
    public int replayDeadLetter(String batchId) {
        DeadLetter d = deadLetter(batchId);
        if (d == null) {
            return -1;
        }
        int p = d.partition();
        String conv = d.conversation().key();
        Long r = call("replayDeadLetter", batchId, () -> scripts.run(redis, Script.REPLAY, ScriptOutputType.INTEGER,
                new String[]{keys.conversation(p, conv), keys.open(p, conv), keys.due(p), keys.deadLetters(p),
                        keys.deadLetterIndex(p), keys.deadLetterMessages(p, batchId)},
                conv, batchId, keys.wakeChannel(), Integer.toString(p)));
        return r.intValue();
    }

    @Override
    public boolean purgeDeadLetter(String batchId) {
        DeadLetter d = deadLetter(batchId);
        if (d == null) {
            return false;
        }
        int p = d.partition();
        Long r = call("purgeDeadLetter", batchId, () -> scripts.run(redis, Script.PURGE, ScriptOutputType.INTEGER,
                new String[]{keys.deadLetters(p), keys.deadLetterIndex(p), keys.deadLetterMessages(p, batchId)}, batchId));
        return r == 1;
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
    public long nowMs() {
        if (manualClock) {
            String set = call("time", "manual clock", () -> redis.get(keys.partitionPrefix(0) + "clock"));
            if (set != null) {
                return Long.parseLong(set);
            }
        }
        return call("time", "TIME", link::nowMs);
    }

    /** Tests only, on a store built with {@link Builder#manualClock()}: sets the time every script reads. */
    public void setManualTime(long ms) {
        if (!manualClock) {
            throw new IllegalStateException("setManualTime needs a store built with manualClock()");
        }
        for (int p = 0; p < partitions; p++) {
            String key = keys.partitionPrefix(p) + "clock";
            call("setManualTime", key, () -> redis.set(key, Long.toString(ms)));
        }
    }

    @Override
    public AutoCloseable onWake(WakeListener listener) {
        return link.subscribe(keys.wakeChannel(), (channel, message) -> {
            int colon = message.indexOf(':');
            try {
                if (message.startsWith("x:") || message.startsWith("w:")) {
                    // "x:<partition>:<batchId>": a batch was superseded; "w:...": withdraw it if you can (append-6.lua).
                    int second = message.indexOf(':', 2);
                    int partition = Integer.parseInt(message.substring(2, second));
                    String batchId = message.substring(second + 1);
                    if (message.charAt(0) == 'x') {
                        listener.superseded(partition, batchId);
                    } else {
                        listener.withdraw(partition, batchId);
                    }
                    return;
                }
                listener.wake(Integer.parseInt(message.substring(0, colon)), Long.parseLong(message.substring(colon + 1)));
            } catch (RuntimeException e) {
                log.warn("Ignoring malformed wake-up '{}' on {}: {}", message, channel, e.toString());
            }
        });
    }

    @Override
    public ConnectionHealth health() {
        return new ConnectionHealth(lastError, lastErrorAtMs, reconnects.get());
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Runs a write script on the master of its keys' slot. With RAPIDFIRE_WAIT_REPLICAS = n > 0, then
     * {@code WAIT n} when {@code needsWait} says the result changed something, and fewer confirmations throw
     * {@link NotReplicatedException} ("&lt;what&gt;, but only r of n replicas confirmed it ...; &lt;consequence&gt;").
     */
    private List<Object> write(String op, String subject, Script script, String[] k, String[] a,
                               Predicate<List<Object>> needsWait, Function<List<Object>, String> what,
                               String consequence) {
        if (durability.waitReplicas() == 0) {
            return call(op, subject, () -> scripts.run(redis, script, ScriptOutputType.MULTI, k, a));
        }
        RedisLink.Replicated<List<Object>> w = call(op, subject, () -> link.writeAndWait(k[0], durability.waitReplicas(),
                durability.waitTimeoutMs(), node -> scripts.<List<Object>>run(node, script, ScriptOutputType.MULTI, k, a),
                needsWait));
        if (w.replicas() < durability.waitReplicas()) {
            lastError = op + ": WAIT confirmed " + w.replicas() + " of " + durability.waitReplicas() + " replicas";
            lastErrorAtMs = System.currentTimeMillis();
            throw new NotReplicatedException(description + " " + what.apply(w.result()) + ", but only " + w.replicas()
                    + " of RAPIDFIRE_WAIT_REPLICAS=" + durability.waitReplicas() + " replicas confirmed it within "
                    + "RAPIDFIRE_WAIT_TIMEOUT_MS=" + durability.waitTimeoutMs() + "; " + consequence + ". Check the "
                    + "replicas (INFO replication) or lower RAPIDFIRE_WAIT_REPLICAS.");
        }
        return w.result();
    }

    /** Anything that goes wrong talking to Redis means "not known to be stored": callers answer 503. */
    private <T> T call(String op, String subject, Supplier<T> body) {
        try {
            return body.get();
        } catch (RedisException e) {
            throw refused(op, subject, e);
        }
    }

    /** The store's exception for a Redis error, naming the fault and its fix; remembered for the heartbeat. */
    private StoreUnavailableException refused(String op, String subject, RedisException e) {
        String why = String.valueOf(e.getMessage()).replaceAll("[.\\s]+$", "");
        StoreFault fault = RedisFaults.classify(e);
        lastError = op + " (" + fault.reason() + "): " + why;
        lastErrorAtMs = System.currentTimeMillis();
        String message = description + " refused '" + op + "' for " + subject + " (" + fault.reason() + "): " + why
                + ". To fix: " + fault.fix() + "; nothing was stored by this call, and a retry is stored once.";
        return fault == StoreFault.FULL ? new StoreFullException(message, e)
                : new StoreUnavailableException(fault, message, e);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (waitingAppends != null) {
                waitingAppends.shutdown();
            }
        }
        link.close();
    }
}
