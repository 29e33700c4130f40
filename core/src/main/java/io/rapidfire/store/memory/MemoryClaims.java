package io.rapidfire.store.memory;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchIds;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.Lease;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.StoredMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A claim (claim-2.lua): expired leases and due retries first, then open batches whose deadline passed. */
final class MemoryClaims {
    private final MemoryState state;

    MemoryClaims(MemoryState state) {
        this.state = state;
    }

    ClaimResult claim(int p, int max, long leaseMs, String workerId) {
        synchronized (state) {
            long now = state.now();
            String seed = UUID.randomUUID().toString();
            List<ClaimedBatch> out = new ArrayList<>();
            List<Long> wakes = new ArrayList<>();
            for (String key : state.inflight[p].upTo(now, max)) {
                MemoryConversation c = state.convs.get(key);
                if (c.state == FlightState.AWAITING) {
                    // The bot took it to commit later and the commit timeout passed: it counts as committed.
                    wakes.add(state.finishFlight(c, p, true));
                    continue;
                }
                c.attempt++;
                c.token = seed + ":" + (out.size() + 1);
                c.state = FlightState.LEASED;
                c.worker = workerId;
                state.inflight[p].put(key, now + leaseMs);
                humansIfHandedOver(c); // marked as when first claimed, or now (claim-2.lua)
                out.add(new ClaimedBatch(new Lease(p, key, c.batchId, c.token),
                        Batch.of(c.batchId, c.ref, c.seq, c.flight, c.reason, c.attempt, c.policy.joiner(),
                                c.flightSupersedes, c.flightEarlierUpTo).withHandover(c.handedOver), -1,
                        c.flightSupersede && !c.committed));
            }
            if (out.size() < max) {
                for (String key : state.due[p].upTo(now, max - out.size())) {
                    long lateMs = now - state.due[p].score(key);
                    state.due[p].remove(key);
                    MemoryConversation c = state.convs.get(key);
                    if (c.batchId != null || c.open.isEmpty()) {
                        continue;
                    }
                    out.add(cut(c, p, now, leaseMs, workerId, seed, out.size() + 1, lateMs));
                }
            }
            long next = state.due[p].first();
            long nextInflight = state.inflight[p].first();
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
    }

    /** Cuts the open batch at the limits (ReleaseRules.cut) into a new batch in flight under a lease. */
    private ClaimedBatch cut(MemoryConversation c, int p, long now, long leaseMs, String workerId, String seed, int n,
                             long lateMs) {
        Policy pol = c.policy;
        int[] sizes = c.open.stream().limit(pol.maxMessages()).mapToInt(m -> m.message().contentBytes()).toArray();
        ReleaseRules.Cut cut = ReleaseRules.cut(sizes, pol);
        List<StoredMessage> taken = new ArrayList<>(cut.taken());
        for (int i = 0; i < cut.taken(); i++) {
            taken.add(c.open.removeFirst());
        }
        c.openBytes -= cut.bytes();
        long first = taken.get(0).storedAtMs();
        long last = taken.get(taken.size() - 1).storedAtMs();
        ReleaseReason reason = ReleaseRules.reason(taken.size(), cut.bytes(), cut.byBytes(), first, last, c.forced, pol,
                c.pace);
        c.forced = null;
        c.seq++;
        c.batchId = BatchIds.of(c.key(), c.seq, now, seed);
        c.token = seed + ":" + n;
        c.attempt = 1;
        c.reason = reason;
        c.flight = List.copyOf(taken);
        c.state = FlightState.LEASED;
        c.worker = workerId;
        c.lastError = null;
        c.committed = false;
        c.handedOver = false;
        c.flightSupersede = pol.supersede();
        humansIfHandedOver(c);
        c.flightSupersedes = c.openSupersedes;
        c.flightEarlierUpTo = c.openEarlierUpTo;
        c.openSupersedes = List.of();
        c.openEarlierUpTo = -1;
        state.batchConv.put(c.batchId, c.key());
        state.inflight[p].put(c.key(), now + leaseMs);
        return new ClaimedBatch(new Lease(p, c.key(), c.batchId, c.token),
                Batch.of(c.batchId, c.ref, c.seq, c.flight, reason, 1, pol.joiner(), c.flightSupersedes,
                        c.flightEarlierUpTo).withHandover(c.handedOver), lateMs, c.flightSupersede && !c.committed);
    }

    /** A batch claimed while a human has the chat is theirs: nothing supersedes it, it stays marked. */
    private void humansIfHandedOver(MemoryConversation c) {
        if (!c.handedOver && handedOver(c)) {
            c.handedOver = true;
            c.committed = true;
        }
    }

    /** Whether a human has the conversation now (claim time decides the batch's mark, as in claim-2.lua). */
    private boolean handedOver(MemoryConversation c) {
        io.rapidfire.core.Handover h = state.handovers.get(c.key());
        return h != null && h.activeAt(state.now());
    }
}
