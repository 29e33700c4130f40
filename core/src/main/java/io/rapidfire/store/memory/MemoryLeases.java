package io.rapidfire.store.memory;

import io.rapidfire.core.Batch;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.Lease;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.ReleaseRules;

import java.util.function.Consumer;

/** What happens to a claimed batch: renew, ack, retry, dead-letter, await its commit, commit, settle. */
final class MemoryLeases {
    private final MemoryState state;

    MemoryLeases(MemoryState state) {
        this.state = state;
    }

    LeaseOutcome renew(Lease l, long leaseMs) {
        synchronized (state) {
            LeaseOutcome o = state.check(l, state.convs.get(l.conversationKey()));
            if (o.ok()) {
                state.inflight[l.partition()].put(l.conversationKey(), state.now() + leaseMs);
            }
            return o;
        }
    }

    LeaseOutcome ack(Lease l) {
        return finish(l, null);
    }

    LeaseOutcome deadLetter(Lease l, Batch batch, String reason) {
        return finish(l, c -> state.deadLetters.get(l.partition()).put(l.batchId(), new MemoryState.Dead(
                new DeadLetter(l.batchId(), l.partition(), state.now(), DeadLetter.document(batch, reason)), c.flight)));
    }

    private LeaseOutcome finish(Lease l, Consumer<MemoryConversation> before) {
        int p = l.partition();
        long wakeAt;
        synchronized (state) {
            MemoryConversation c = state.convs.get(l.conversationKey());
            LeaseOutcome o = state.check(l, c);
            if (!o.ok()) {
                return o;
            }
            if (before != null) {
                before.accept(c);
            }
            wakeAt = state.finishFlight(c, p, before == null);
        }
        state.wake(p, wakeAt);
        return LeaseOutcome.OK;
    }

    LeaseOutcome retry(Lease l, long delayMs, String error) {
        long at;
        synchronized (state) {
            MemoryConversation c = state.convs.get(l.conversationKey());
            LeaseOutcome o = state.check(l, c);
            if (!o.ok()) {
                return o;
            }
            at = state.now() + Math.max(0, delayMs);
            c.state = FlightState.RETRY;
            c.lastError = error;
            state.inflight[l.partition()].put(l.conversationKey(), at);
        }
        state.wake(l.partition(), at);
        return LeaseOutcome.OK;
    }

    LeaseOutcome awaitCommit(Lease l, long timeoutMs, boolean withdrawable) {
        synchronized (state) {
            MemoryConversation c = state.convs.get(l.conversationKey());
            LeaseOutcome o = state.check(l, c);
            if (o.ok()) {
                c.state = FlightState.AWAITING;
                c.withdrawable = withdrawable;
                // Until the commit timeout, or max wait after its first message: then nothing can supersede it.
                long first = c.flightFirst(Long.MAX_VALUE / 2);
                // Committed already (a faster bot or consumer, or a human's): the next claim finishes it.
                state.inflight[l.partition()].put(l.conversationKey(), c.committed ? state.now()
                        : Math.min(state.now() + timeoutMs, first + c.policy.maxWaitMs()));
            }
            return o;
        }
    }

    LeaseOutcome settle(int partition, String batchId, boolean withdrawn) {
        long wakeAt;
        synchronized (state) {
            MemoryConversation c = inFlight(batchId);
            if (c == null || !batchId.equals(c.batchId) || c.state != FlightState.AWAITING
                    || state.partitionOf(c.ref) != partition) {
                return LeaseOutcome.GONE;
            }
            // Withdrawn, its messages exist nowhere else: take it back whatever the limits say now (settle-6.lua).
            if (withdrawn) {
                state.supersede(c, partition);
                wakeAt = state.schedule(c, partition, state.now());
            } else {
                wakeAt = state.finishFlight(c, partition, true);
            }
        }
        state.tell(partition, withdrawn ? batchId : null, null);
        state.wake(partition, wakeAt);
        return withdrawn ? LeaseOutcome.SUPERSEDED : LeaseOutcome.OK;
    }

    CommitResult commit(int partition, String batchId) {
        long wakeAt;
        CommitResult result;
        synchronized (state) {
            MemoryConversation c = inFlight(batchId);
            if (c == null) {
                // keyed by partition, as the Redis keys are
                MemoryState.Tombstone t = state.tombstones.get(partition + ":" + batchId);
                if (t == null || t.untilMs() <= state.now()) {
                    return CommitResult.unknown();
                }
                return CommitResult.ofTombstone(t.value());
            }
            if (state.partitionOf(c.ref) != partition) {
                return CommitResult.unknown();
            }
            if (!batchId.equals(c.batchId)) {
                if (c.openSupersedes.contains(batchId)) {
                    return CommitResult.superseded(null);
                }
                return c.flightSupersedes.contains(batchId) ? CommitResult.superseded(c.batchId) : CommitResult.unknown();
            }
            if (!c.committed) {
                if (state.handovers.containsKey(c.key()) && state.handovers.get(c.key()).activeAt(state.now())) {
                    // The human's now: nothing supersedes it, its messages never come back to the bot (commit-6.lua).
                    c.handedOver = true;
                } else {
                    long readyAt = ReleaseRules.commitReadyAt(c.policy, c.pace, c.flightFirst(0));
                    if (readyAt > state.now()) {
                        return CommitResult.notYet(readyAt);
                    }
                }
                c.committed = true;
            }
            result = c.handedOver ? CommitResult.handedOver() : CommitResult.committed();
            if (c.state != FlightState.AWAITING) {
                return result;
            }
            wakeAt = state.finishFlight(c, partition, true);
        }
        state.wake(partition, wakeAt);
        return result;
    }

    /** The conversation a batch id is indexed under (in flight, or superseded by the one in flight), or null. */
    private MemoryConversation inFlight(String batchId) {
        String key = state.batchConv.get(batchId);
        return key == null ? null : state.convs.get(key);
    }
}
