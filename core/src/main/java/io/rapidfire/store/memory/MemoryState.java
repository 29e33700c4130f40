package io.rapidfire.store.memory;

import io.rapidfire.core.BatchQueue.WakeListener;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Partitioner;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Everything the embedded store holds, and the steps its operations share (what the Redis store's includes/*.lua
 * are). This object is the store's one lock: every operation runs its state changes in {@code synchronized (state)},
 * so each is one atomic step as a script is in Redis; listeners are told after the lock is let go.
 */
final class MemoryState {
    /** As includes/batchIndex.lua's TOMBSTONE_MS: how long a finished batch's commit is still answered. */
    static final long TOMBSTONE_MS = 600_000;

    record Tombstone(String value, long untilMs) {
    }

    record Dead(DeadLetter letter, List<StoredMessage> messages) {
    }

    final int partitions;
    final long dedupWindowMs;
    final LongSupplier clock;
    final Map<String, MemoryConversation> convs = new HashMap<>();
    /** Conversations with nothing pending, oldest first: dropped once their de-duplication ids expire. */
    final LinkedHashMap<String, Long> idleSince = new LinkedHashMap<>();
    /** Senders who never wrote, known by a presence event only: forgotten at the time given (the typing timeout). */
    final LinkedHashMap<String, Long> presenceOnlyUntil = new LinkedHashMap<>();
    final ScoreIndex[] due;
    final ScoreIndex[] inflight;
    /** Batch id -> conversation key, for a bot's commit: batches in flight and the ones they supersede. */
    final Map<String, String> batchConv = new HashMap<>();
    /**
     * "partition:batchId" of finished batches under supersede: "c" committed, "h" refused because a human had the chat,
     * "s:&lt;id&gt;" superseded by that batch (includes/finishFlight.lua; {@link io.rapidfire.core.CommitResult#ofTombstone}).
     */
    final LinkedHashMap<String, Tombstone> tombstones = new LinkedHashMap<>();
    final List<Map<String, Dead>> deadLetters = new ArrayList<>();
    /** Conversation key -> its handover, kept until it is ended, or until its expiry was announced. */
    final Map<String, io.rapidfire.core.Handover> handovers = new HashMap<>();
    final List<WakeListener> listeners = new CopyOnWriteArrayList<>();

    MemoryState(int partitions, long dedupWindowMs, LongSupplier clock) {
        this.partitions = partitions;
        this.dedupWindowMs = dedupWindowMs;
        this.clock = clock;
        this.due = new ScoreIndex[partitions];
        this.inflight = new ScoreIndex[partitions];
        for (int p = 0; p < partitions; p++) {
            due[p] = new ScoreIndex();
            inflight[p] = new ScoreIndex();
            deadLetters.add(new LinkedHashMap<>());
        }
    }

    long now() {
        return clock.getAsLong();
    }

    int partitionOf(ConversationRef ref) {
        return Partitioner.partitionOf(ref, partitions);
    }

    MemoryConversation conversation(ConversationRef ref) {
        return convs.computeIfAbsent(ref.key(), k -> new MemoryConversation(ref));
    }

    /** Same as includes/checkLease.lua: whether the lease still holds the batch in flight. */
    LeaseOutcome check(Lease l, MemoryConversation c) {
        if (c == null || !l.batchId().equals(c.batchId)) {
            boolean superseded = c != null && (c.openSupersedes.contains(l.batchId())
                    || c.flightSupersedes.contains(l.batchId()));
            return superseded ? LeaseOutcome.SUPERSEDED : LeaseOutcome.GONE;
        }
        return l.token().equals(c.token) ? LeaseOutcome.OK : LeaseOutcome.TAKEN_OVER;
    }

    /** Same as includes/schedule.lua: returns the deadline to announce, or -1 if no worker needs waking. */
    long schedule(MemoryConversation c, int p, long now) {
        if (c.open.isEmpty()) {
            return -1;
        }
        long d = c.deadline(now);
        long earliest = due[p].first();
        due[p].put(c.key(), d);
        return earliest == -1 || d < earliest ? d : -1;
    }

    /**
     * Makes the open batch due now with {@code reason} (like fl in the scripts); if a batch is in flight, right
     * after it. An existing forced reason stays unless {@code override}. Returns the deadline to announce or -1.
     */
    long force(MemoryConversation c, int p, ReleaseReason reason, boolean override) {
        if (override || c.forced == null) {
            c.forced = reason;
        }
        return c.batchId == null ? schedule(c, p, now()) : -1;
    }

    /** The batch in flight goes back to the head of the open messages (same as the append script's supersede). */
    void supersede(MemoryConversation c, int p) {
        List<String> chain = new ArrayList<>(c.flightSupersedes);
        chain.add(c.batchId);
        c.openSupersedes = List.copyOf(chain);
        c.reopen(c.flight);
        for (StoredMessage m : c.flight) {
            c.openEarlierUpTo = Math.max(c.openEarlierUpTo, m.storedAtMs());
        }
        inflight[p].remove(c.key());
        c.endFlight();
    }

    /** Same as includes/finishFlight.lua: ends the batch in flight and schedules the next. Returns what to announce. */
    long finishFlight(MemoryConversation c, int p, boolean committed) {
        batchConv.remove(c.batchId);
        c.flightSupersedes.forEach(batchConv::remove);
        if (c.flightSupersede) { // claimed under supersede, whatever a later append's policy says
            long now = now();
            tombstones.values().removeIf(t -> t.untilMs() <= now); // cheap enough here: every finish under supersede
            if (committed) {
                tombstones.put(p + ":" + c.batchId, new Tombstone(c.handedOver ? "h" : "c", now + TOMBSTONE_MS));
            }
            for (String id : c.flightSupersedes) {
                tombstones.put(p + ":" + id, new Tombstone("s:" + c.batchId, now + TOMBSTONE_MS));
            }
        }
        c.endFlight();
        inflight[p].remove(c.key());
        long wakeAt = schedule(c, p, now());
        forgetIfIdle(c);
        return wakeAt;
    }

    /**
     * An idle conversation only keeps its de-duplication ids (and batch sequence); it is dropped once the
     * de-duplication window has passed since it went idle, like the Redis state's idle TTL.
     */
    void forgetIfIdle(MemoryConversation c) {
        if (c.idle()) {
            idleSince.remove(c.key());
            idleSince.put(c.key(), now());
        }
    }

    void evictIdle(long now) {
        // In the order last refreshed; one typing timeout for most deployments, so the first not yet due ends the walk
        // (a tenant with a shorter timeout may keep its entries until the longer ones before them go).
        var p = presenceOnlyUntil.entrySet().iterator();
        while (p.hasNext()) {
            var e = p.next();
            if (e.getValue() > now) {
                break;
            }
            p.remove();
            MemoryConversation c = convs.get(e.getKey());
            if (c != null && c.pace.isNew() && c.idle()) {
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

    /** Tells the listeners of a superseded batch and of one to withdraw (either may be null); outside the lock. */
    void tell(int p, String superseded, String withdraw) {
        for (WakeListener l : listeners) {
            if (superseded != null) {
                l.superseded(p, superseded);
            }
            if (withdraw != null) {
                l.withdraw(p, withdraw);
            }
        }
    }

    /** Wakes the listeners for a deadline ({@code at} < 0: none to announce); outside the lock. */
    void wake(int p, long at) {
        if (at >= 0) {
            for (WakeListener l : listeners) {
                l.wake(p, at);
            }
        }
    }
}
