package io.rapidfire.store.memory;

import io.rapidfire.core.AppendResult;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchIds;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Message;
import io.rapidfire.core.Partitioner;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.Pace;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.core.Tunables;

import java.time.Duration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The embedded store: the same semantics as the Redis store's scripts (one contract test suite runs against
 * both), one lock for atomicity, this JVM's clock as the single clock. Nothing survives a restart: it is for
 * trying Rapidfire out and for embedding where losing pending batches on a crash is acceptable.
 */
public final class MemoryBatchStore implements BatchStore {
    private static final class Conv {
        final ConversationRef ref;
        final Deque<StoredMessage> open = new ArrayDeque<>();
        long openBytes;
        Policy policy = Policy.DEFAULT;
        ReleaseReason forced;
        final Pace pace = new Pace();
        long seq;
        // in flight
        String batchId;
        String token;
        int attempt;
        ReleaseReason reason;
        List<StoredMessage> flight;
        FlightState state;
        String worker;
        String lastError;
        /** The bot committed the batch in flight: a new message no longer supersedes it. */
        boolean committed;
        /** Awaiting its commit in a queue: a new message asks for it to be withdrawn (once) instead of superseding. */
        boolean withdrawable;
        boolean withdrawAsked;
        /** The batches the one in flight supersedes, and the last store time of their messages. */
        List<String> flightSupersedes = List.of();
        long flightEarlierUpTo = -1;
        /** Superseded batches whose messages are open again, waiting to be claimed as one (sx, sl in Redis). */
        List<String> openSupersedes = List.of();
        long openEarlierUpTo = -1;
        final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

        Conv(ConversationRef ref) {
            this.ref = ref;
        }

        long first() {
            return open.getFirst().storedAtMs();
        }

        long last() {
            return open.getLast().storedAtMs();
        }
    }

    private final int partitions;
    private final long dedupWindowMs;
    private final LongSupplier clock;
    /** Marks, runtime policies and lid-phone pairs: a job of its own (MemorySharedState). */
    private final MemorySharedState shared;
    private final Map<String, Conv> convs = new HashMap<>();
    /** Conversations with nothing pending, oldest first: dropped once their de-duplication ids expire. */
    private final LinkedHashMap<String, Long> idleSince = new LinkedHashMap<>();
    /** Senders who never wrote, known by a presence event only: forgotten at the time given (the typing timeout). */
    private final LinkedHashMap<String, Long> presenceOnlyUntil = new LinkedHashMap<>();
    private final ScoreIndex[] due;
    private final ScoreIndex[] inflight;
    /** Batch id -> conversation key, for a bot's commit: batches in flight and the ones they supersede. */
    private final Map<String, String> batchConv = new HashMap<>();
    /** As includes/batchIndex.lua's TOMBSTONE_MS: how long a finished batch's commit is still answered. */
    static final long TOMBSTONE_MS = 600_000;
    private record Tombstone(String value, long untilMs) {
    }

    /** "partition:batchId" of finished batches under supersede: "c" committed, "s:&lt;id&gt;" superseded by that batch. */
    private final LinkedHashMap<String, Tombstone> tombstones = new LinkedHashMap<>();
    private record Dead(DeadLetter letter, List<StoredMessage> messages) {
    }

    private final List<Map<String, Dead>> deadLetters = new ArrayList<>();
    private final List<WakeListener> listeners = new CopyOnWriteArrayList<>();

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
        this.partitions = partitions;
        this.dedupWindowMs = dedupWindowMs;
        this.clock = clock;
        this.shared = new MemorySharedState(clock);
        this.due = new ScoreIndex[partitions];
        this.inflight = new ScoreIndex[partitions];
        for (int p = 0; p < partitions; p++) {
            due[p] = new ScoreIndex();
            inflight[p] = new ScoreIndex();
            deadLetters.add(new LinkedHashMap<>());
        }
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
        int bytes = ReleaseRules.requireFits(message, policy);
        ConversationRef ref = message.conversation();
        int p = partitionOf(ref);
        long wakeAt;
        AppendResult result;
        String superseded = null;
        String withdraw = null;
        synchronized (this) {
            long now = clock.getAsLong();
            evictIdle(now);
            Conv c = convs.computeIfAbsent(ref.key(), k -> new Conv(ref));
            idleSince.remove(ref.key());
            presenceOnlyUntil.remove(ref.key());
            if (message.id() != null) {
                c.seen.values().removeIf(t -> t <= now - dedupWindowMs);
                if (c.seen.containsKey(message.id())) {
                    forgetIfIdle(c);
                    return new AppendResult(true, -1, c.open.size());
                }
                c.seen.put(message.id(), now);
            }
            ReleaseReason asked = ReleaseRules.askedAtAppend(releaseNow, message, policy, c.pace.isNew());
            c.open.addLast(new StoredMessage(message, now));
            c.openBytes += bytes;
            c.policy = policy;
            c.pace.onMessage(now, policy);
            if (c.batchId != null && supersedes(c, now)) {
                if (c.state == FlightState.AWAITING && c.withdrawable) {
                    withdraw = c.withdrawAsked ? null : c.batchId;
                    c.withdrawAsked = true;
                } else {
                    superseded = c.batchId;
                    supersede(c, p);
                }
            }
            wakeAt = asked != null ? force(c, p, asked, false) : c.batchId == null ? schedule(c, p, now) : -1;
            result = new AppendResult(false, c.batchId == null ? due[p].score(ref.key()) : -1, c.open.size());
        }
        tell(p, superseded, withdraw);
        wake(p, wakeAt);
        return result;
    }

    private void tell(int p, String superseded, String withdraw) {
        for (WakeListener l : listeners) {
            if (superseded != null) {
                l.superseded(p, superseded);
            }
            if (withdraw != null) {
                l.withdraw(p, withdraw);
            }
        }
    }

    private static boolean supersedes(Conv c, long now) {
        long flightBytes = c.flight.stream().mapToLong(m -> m.message().contentBytes()).sum();
        long flightFirst = c.flight.stream().mapToLong(StoredMessage::storedAtMs).min().orElse(now);
        return ReleaseRules.supersedes(c.policy, c.committed, c.flight.size(), flightBytes, flightFirst, c.open.size(),
                c.openBytes, now);
    }

    /** The batch in flight goes back to the head of the open messages (same as the append script's supersede). */
    private void supersede(Conv c, int p) {
        List<String> chain = new ArrayList<>(c.flightSupersedes);
        chain.add(c.batchId);
        c.openSupersedes = List.copyOf(chain);
        for (int i = c.flight.size() - 1; i >= 0; i--) {
            StoredMessage m = c.flight.get(i);
            c.open.addFirst(m);
            c.openBytes += m.message().contentBytes();
            c.openEarlierUpTo = Math.max(c.openEarlierUpTo, m.storedAtMs());
        }
        inflight[p].remove(c.ref.key());
        endFlight(c);
    }

    private static void endFlight(Conv c) {
        c.batchId = null;
        c.token = null;
        c.flight = null;
        c.state = null;
        c.worker = null;
        c.lastError = null;
        c.committed = false;
        c.withdrawable = false;
        c.withdrawAsked = false;
        c.flightSupersedes = List.of();
        c.flightEarlierUpTo = -1;
    }

    private static long dueOf(Conv c, long now) {
        return ReleaseRules.deadline(c.open.size(), c.openBytes, c.first(), c.last(), c.forced, c.policy, c.pace,
                now);
    }

    /** Same as includes/schedule.lua: returns the deadline to announce, or -1 if no worker needs waking. */
    private long schedule(Conv c, int p, long now) {
        if (c.open.isEmpty()) {
            return -1;
        }
        long d = dueOf(c, now);
        long earliest = due[p].first();
        due[p].put(c.ref.key(), d);
        return earliest == -1 || d < earliest ? d : -1;
    }

    /**
     * Makes the open batch due now with {@code reason} (like fl in the scripts); if a batch is in flight, right
     * after it. An existing forced reason stays unless {@code override}. Returns the deadline to announce or -1.
     */
    private long force(Conv c, int p, ReleaseReason reason, boolean override) {
        if (override || c.forced == null) {
            c.forced = reason;
        }
        return c.batchId == null ? schedule(c, p, clock.getAsLong()) : -1;
    }

    private void wake(int p, long at) {
        if (at >= 0) {
            for (WakeListener l : listeners) {
                l.wake(p, at);
            }
        }
    }

    @Override
    public PresenceOutcome presence(ConversationRef ref, boolean typing, long newStateTtlMs) {
        int p = partitionOf(ref);
        long wakeAt;
        PresenceOutcome outcome;
        synchronized (this) {
            long now = clock.getAsLong();
            evictIdle(now);
            Conv c = convs.computeIfAbsent(ref.key(), k -> new Conv(ref));
            c.pace.onPresence(typing, now, c.policy);
            boolean movable = !c.open.isEmpty() && c.batchId == null;
            wakeAt = movable ? schedule(c, p, now) : -1;
            outcome = movable ? PresenceOutcome.RESCHEDULED : PresenceOutcome.RECORDED;
            forgetIfIdle(c);
            if (c.pace.isNew() && c.open.isEmpty() && c.batchId == null) {
                presenceOnlyUntil.remove(ref.key());
                presenceOnlyUntil.put(ref.key(), now + newStateTtlMs);
            }
        }
        wake(p, wakeAt);
        return outcome;
    }

    @Override
    public synchronized ClaimResult claim(int p, int max, long leaseMs, String workerId) {
        long now = clock.getAsLong();
        String seed = UUID.randomUUID().toString();
        List<ClaimedBatch> out = new ArrayList<>();
        List<Long> wakes = new ArrayList<>();
        for (String key : inflight[p].upTo(now, max)) {
            Conv c = convs.get(key);
            if (c.state == FlightState.AWAITING) {
                // The bot took it to commit later and the commit timeout passed: it counts as committed.
                wakes.add(finishFlight(c, p, true));
                continue;
            }
            c.attempt++;
            c.token = seed + ":" + (out.size() + 1);
            c.state = FlightState.LEASED;
            c.worker = workerId;
            inflight[p].put(key, now + leaseMs);
            out.add(new ClaimedBatch(new Lease(p, key, c.batchId, c.token),
                    Batch.of(c.batchId, c.ref, c.seq, c.flight, c.reason, c.attempt, c.policy.joiner(),
                            c.flightSupersedes, c.flightEarlierUpTo), -1, c.policy.supersede()));
        }
        if (out.size() < max) {
            for (String key : due[p].upTo(now, max - out.size())) {
                long lateMs = now - due[p].score(key);
                due[p].remove(key);
                Conv c = convs.get(key);
                if (c.batchId != null || c.open.isEmpty()) {
                    continue;
                }
                Policy pol = c.policy;
                int[] sizes = c.open.stream().limit(pol.maxMessages())
                        .mapToInt(m -> m.message().contentBytes()).toArray();
                ReleaseRules.Cut cut = ReleaseRules.cut(sizes, pol);
                List<StoredMessage> taken = new ArrayList<>(cut.taken());
                for (int i = 0; i < cut.taken(); i++) {
                    taken.add(c.open.removeFirst());
                }
                long bytes = cut.bytes();
                boolean cutByBytes = cut.byBytes();
                c.openBytes -= bytes;
                long first = taken.get(0).storedAtMs();
                long last = taken.get(taken.size() - 1).storedAtMs();
                ReleaseReason reason = ReleaseRules.reason(taken.size(), bytes, cutByBytes, first, last, c.forced, pol,
                        c.pace);
                c.forced = null;
                c.seq++;
                c.batchId = BatchIds.of(key, c.seq, now, seed);
                c.token = seed + ":" + (out.size() + 1);
                c.attempt = 1;
                c.reason = reason;
                c.flight = List.copyOf(taken);
                c.state = FlightState.LEASED;
                c.worker = workerId;
                c.lastError = null;
                c.committed = false;
                c.flightSupersedes = c.openSupersedes;
                c.flightEarlierUpTo = c.openEarlierUpTo;
                c.openSupersedes = List.of();
                c.openEarlierUpTo = -1;
                batchConv.put(c.batchId, key);
                inflight[p].put(key, now + leaseMs);
                out.add(new ClaimedBatch(new Lease(p, key, c.batchId, c.token),
                        Batch.of(c.batchId, c.ref, c.seq, c.flight, reason, 1, pol.joiner(), c.flightSupersedes,
                                c.flightEarlierUpTo), lateMs, pol.supersede()));
            }
        }
        long next = due[p].first();
        long nextInflight = inflight[p].first();
        if (nextInflight >= 0 && (next < 0 || nextInflight < next)) {
            next = nextInflight;
        }
        for (long w : wakes) {
            if (w >= 0 && (next < 0 || w < next)) {
                next = w;
            }
        }
        return new ClaimResult(out, now, next);
    }

    private LeaseOutcome check(Lease l, Conv c) {
        if (c == null || !l.batchId().equals(c.batchId)) {
            boolean superseded = c != null && (c.openSupersedes.contains(l.batchId())
                    || c.flightSupersedes.contains(l.batchId()));
            return superseded ? LeaseOutcome.SUPERSEDED : LeaseOutcome.GONE;
        }
        return l.token().equals(c.token) ? LeaseOutcome.OK : LeaseOutcome.TAKEN_OVER;
    }

    @Override
    public synchronized LeaseOutcome renew(Lease l, long leaseMs) {
        Conv c = convs.get(l.conversationKey());
        LeaseOutcome o = check(l, c);
        if (o.ok()) {
            inflight[l.partition()].put(l.conversationKey(), clock.getAsLong() + leaseMs);
        }
        return o;
    }

    @Override
    public LeaseOutcome ack(Lease l) {
        return finish(l, null);
    }

    @Override
    public LeaseOutcome deadLetter(Lease l, Batch batch, String reason) {
        return finish(l, c -> deadLetters.get(l.partition()).put(l.batchId(), new Dead(new DeadLetter(l.batchId(),
                l.partition(), clock.getAsLong(), DeadLetter.document(batch, reason)), c.flight)));
    }

    private LeaseOutcome finish(Lease l, java.util.function.Consumer<Conv> before) {
        int p = l.partition();
        long wakeAt;
        synchronized (this) {
            Conv c = convs.get(l.conversationKey());
            LeaseOutcome o = check(l, c);
            if (!o.ok()) {
                return o;
            }
            if (before != null) {
                before.accept(c);
            }
            wakeAt = finishFlight(c, p, before == null);
        }
        wake(p, wakeAt);
        return LeaseOutcome.OK;
    }

    /** Same as includes/finishFlight.lua: ends the batch in flight and schedules the next. Returns what to announce. */
    private long finishFlight(Conv c, int p, boolean committed) {
        batchConv.remove(c.batchId);
        c.flightSupersedes.forEach(batchConv::remove);
        if (c.policy.supersede()) {
            long now = clock.getAsLong();
            tombstones.values().removeIf(t -> t.untilMs() <= now); // cheap enough here: every finish under supersede
            if (committed) {
                tombstones.put(p + ":" + c.batchId, new Tombstone("c", now + TOMBSTONE_MS));
            }
            for (String id : c.flightSupersedes) {
                tombstones.put(p + ":" + id, new Tombstone("s:" + c.batchId, now + TOMBSTONE_MS));
            }
        }
        endFlight(c);
        inflight[p].remove(c.ref.key());
        long wakeAt = schedule(c, p, clock.getAsLong());
        forgetIfIdle(c);
        return wakeAt;
    }

    @Override
    public synchronized LeaseOutcome awaitCommit(Lease l, long timeoutMs, boolean withdrawable) {
        Conv c = convs.get(l.conversationKey());
        LeaseOutcome o = check(l, c);
        if (o.ok()) {
            c.state = FlightState.AWAITING;
            c.withdrawable = withdrawable;
            // Until the commit timeout, or max wait after its first message: then nothing can supersede it.
            long first = c.flight.stream().mapToLong(StoredMessage::storedAtMs).min().orElse(Long.MAX_VALUE / 2);
            inflight[l.partition()].put(l.conversationKey(),
                    Math.min(clock.getAsLong() + timeoutMs, first + c.policy.maxWaitMs()));
        }
        return o;
    }

    @Override
    public LeaseOutcome settle(int partition, String batchId, boolean withdrawn) {
        long wakeAt;
        boolean superseded;
        synchronized (this) {
            String key = batchConv.get(batchId);
            Conv c = key == null ? null : convs.get(key);
            if (c == null || !batchId.equals(c.batchId) || c.state != FlightState.AWAITING || partitionOf(c.ref) != partition) {
                return LeaseOutcome.GONE;
            }
            long now = clock.getAsLong();
            // Withdrawn, its messages exist nowhere else: take it back whatever the limits say now (settle-6.lua).
            superseded = withdrawn;
            if (superseded) {
                supersede(c, partition);
                wakeAt = schedule(c, partition, now);
            } else {
                wakeAt = finishFlight(c, partition, true);
            }
        }
        tell(partition, superseded ? batchId : null, null);
        wake(partition, wakeAt);
        return superseded ? LeaseOutcome.SUPERSEDED : LeaseOutcome.OK;
    }

    @Override
    public CommitResult commit(int partition, String batchId) {
        long wakeAt;
        synchronized (this) {
            String key = batchConv.get(batchId);
            Conv c = key == null ? null : convs.get(key);
            if (c == null) {
                Tombstone t = tombstones.get(partition + ":" + batchId); // keyed by partition, as the Redis keys are
                if (t == null || t.untilMs() <= clock.getAsLong()) {
                    return CommitResult.unknown();
                }
                return t.value().equals("c") ? CommitResult.committed() : CommitResult.superseded(t.value().substring(2));
            }
            if (partitionOf(c.ref) != partition) {
                return CommitResult.unknown();
            }
            if (!batchId.equals(c.batchId)) {
                if (c.openSupersedes.contains(batchId)) {
                    return CommitResult.superseded(null);
                }
                return c.flightSupersedes.contains(batchId) ? CommitResult.superseded(c.batchId) : CommitResult.unknown();
            }
            if (!c.committed) {
                long first = c.flight.stream().mapToLong(StoredMessage::storedAtMs).min().orElse(0);
                long readyAt = ReleaseRules.commitReadyAt(c.policy, c.pace, first);
                if (readyAt > clock.getAsLong()) {
                    return CommitResult.notYet(readyAt);
                }
                c.committed = true;
            }
            if (c.state != FlightState.AWAITING) {
                return CommitResult.committed();
            }
            wakeAt = finishFlight(c, partition, true);
        }
        wake(partition, wakeAt);
        return CommitResult.committed();
    }

    /**
     * An idle conversation only keeps its de-duplication ids (and batch sequence); it is dropped once the
     * de-duplication window has passed since it went idle, like the Redis state's idle TTL.
     */
    private void forgetIfIdle(Conv c) {
        if (c.open.isEmpty() && c.batchId == null) {
            idleSince.remove(c.ref.key());
            idleSince.put(c.ref.key(), clock.getAsLong());
        }
    }

    private void evictIdle(long now) {
        // In the order last refreshed; one typing timeout for most deployments, so the first not yet due ends the walk
        // (a tenant with a shorter timeout may keep its entries until the longer ones before them go).
        var p = presenceOnlyUntil.entrySet().iterator();
        while (p.hasNext()) {
            var e = p.next();
            if (e.getValue() > now) {
                break;
            }
            p.remove();
            Conv c = convs.get(e.getKey());
            if (c != null && c.pace.isNew() && c.open.isEmpty() && c.batchId == null) {
                convs.remove(e.getKey());
                idleSince.remove(e.getKey());
            }
        }
        var it = idleSince.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() > now - dedupWindowMs) {
                return;
            }
            it.remove();
            convs.remove(e.getKey());
        }
    }

    /** Conversations held in memory, pending or idle (for tests of the garbage collection). */
    public synchronized int conversationsHeld() {
        return convs.size();
    }

    @Override
    public LeaseOutcome retry(Lease l, long delayMs, String error) {
        long at;
        synchronized (this) {
            Conv c = convs.get(l.conversationKey());
            LeaseOutcome o = check(l, c);
            if (!o.ok()) {
                return o;
            }
            at = clock.getAsLong() + Math.max(0, delayMs);
            c.state = FlightState.RETRY;
            c.lastError = error;
            inflight[l.partition()].put(l.conversationKey(), at);
        }
        wake(l.partition(), at);
        return LeaseOutcome.OK;
    }

    @Override
    public boolean flush(ConversationRef ref) {
        int p = partitionOf(ref);
        long wakeAt;
        synchronized (this) {
            Conv c = convs.get(ref.key());
            if (c == null || c.open.isEmpty()) {
                return false;
            }
            wakeAt = force(c, p, ReleaseReason.FLUSH, false);
        }
        wake(p, wakeAt);
        return true;
    }

    @Override
    public synchronized long clear(ConversationRef ref) {
        int p = partitionOf(ref);
        Conv c = convs.get(ref.key());
        if (c == null) {
            return 0;
        }
        long n = c.open.size() + (c.flight == null ? 0 : c.flight.size());
        c.open.clear();
        c.openBytes = 0;
        c.forced = null;
        batchConv.remove(c.batchId);
        c.flightSupersedes.forEach(batchConv::remove);
        c.openSupersedes.forEach(batchConv::remove);
        c.openSupersedes = List.of();
        c.openEarlierUpTo = -1;
        endFlight(c);
        due[p].remove(ref.key());
        inflight[p].remove(ref.key());
        forgetIfIdle(c);
        return n;
    }

    @Override
    public synchronized List<PendingBatch> pending(int limit) {
        List<PendingBatch> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (Map.Entry<String, Long> e : due[p].head(limit)) {
                Conv c = convs.get(e.getKey());
                ReleaseReason rule = ReleaseRules.reason(c.open.size(), c.openBytes, false, c.first(), c.last(),
                        c.forced, c.policy, c.pace);
                out.add(new PendingBatch(c.ref, p, c.open.size(), c.openBytes, c.first(), c.last(), e.getValue(), rule,
                        c.pace.presence() ? c.pace.composing() : null));
            }
        }
        return out;
    }

    @Override
    public synchronized List<InflightBatch> inflight(int limit) {
        List<InflightBatch> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (Map.Entry<String, Long> e : inflight[p].head(limit)) {
                Conv c = convs.get(e.getKey());
                out.add(new InflightBatch(c.ref, p, c.batchId, c.attempt, c.state, e.getValue(), c.worker,
                        c.lastError, c.open.size()));
            }
        }
        return out;
    }

    @Override
    public synchronized StoreCounts counts() {
        long pending = 0;
        long flying = 0;
        long dead = 0;
        for (int p = 0; p < partitions; p++) {
            pending += due[p].size();
            flying += inflight[p].size();
            dead += deadLetters.get(p).size();
        }
        return new StoreCounts(pending, flying, dead);
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
    public synchronized List<DeadLetter> deadLetters(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (Map<String, Dead> part : deadLetters) {
            part.values().stream().limit(limit).forEach(d -> out.add(d.letter()));
        }
        out.sort(java.util.Comparator.comparingLong(DeadLetter::deadAtMs));
        return out;
    }

    @Override
    public synchronized DeadLetter deadLetter(String batchId) {
        for (Map<String, Dead> part : deadLetters) {
            if (part.containsKey(batchId)) {
                return part.get(batchId).letter();
            }
        }
        return null;
    }

    @Override
    public int replayDeadLetter(String batchId) {
        int p;
        long wakeAt;
        int n;
        synchronized (this) {
            DeadLetter d = deadLetter(batchId);
            if (d == null) {
                return -1;
            }
            p = d.partition();
            Dead dead = deadLetters.get(p).remove(batchId);
            ConversationRef ref = d.conversation();
            Conv c = convs.computeIfAbsent(ref.key(), k -> new Conv(ref));
            idleSince.remove(ref.key());
            List<StoredMessage> back = dead.messages();
            for (int i = back.size() - 1; i >= 0; i--) {
                c.open.addFirst(back.get(i));
                c.openBytes += back.get(i).message().contentBytes();
            }
            n = back.size();
            wakeAt = force(c, p, ReleaseReason.REPLAY, true);
        }
        wake(p, wakeAt);
        return n;
    }

    @Override
    public synchronized boolean purgeDeadLetter(String batchId) {
        for (Map<String, Dead> part : deadLetters) {
            if (part.remove(batchId) != null) {
                return true;
            }
        }
        return false;
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
    public long nowMs() {
        return clock.getAsLong();
    }

    @Override
    public AutoCloseable onWake(WakeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public String describe() {
        return "memory (embedded, not durable)";
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
