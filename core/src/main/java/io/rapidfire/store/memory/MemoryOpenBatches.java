package io.rapidfire.store.memory;

import io.rapidfire.core.AppendResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.core.PresenceOutcome;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.StoredMessage;

import java.util.List;

/** Writes to a conversation's open batch: append, presence, flush and clear (append-6.lua, presence-2.lua, ...). */
final class MemoryOpenBatches {
    private final MemoryState state;

    MemoryOpenBatches(MemoryState state) {
        this.state = state;
    }

    AppendResult append(Message message, Policy policy, ReleaseReason releaseNow) {
        int bytes = ReleaseRules.requireFits(message, policy);
        ConversationRef ref = message.conversation();
        int p = state.partitionOf(ref);
        long wakeAt;
        AppendResult result;
        String superseded = null;
        String withdraw = null;
        synchronized (state) {
            long now = state.now();
            state.evictIdle(now);
            MemoryConversation c = state.conversation(ref);
            state.idleSince.remove(ref.key());
            state.presenceOnlyUntil.remove(ref.key());
            if (message.id() != null) {
                c.seen.values().removeIf(t -> t <= now - state.dedupWindowMs);
                if (c.seen.containsKey(message.id())) {
                    state.forgetIfIdle(c);
                    return new AppendResult(true, -1, c.open.size());
                }
                c.seen.put(message.id(), now);
            }
            ReleaseReason asked = ReleaseRules.askedAtAppend(releaseNow, message, policy, c.pace.isNew());
            int openBefore = c.open.size();
            c.open.addLast(new StoredMessage(message, now));
            c.openBytes += bytes;
            c.policy = ReleaseRules.keepAlbumRoom(c.policy, policy, openBefore);
            c.pace.onMessage(now, policy);
            if (c.batchId != null && c.supersededBy(now)) {
                if (c.state == FlightState.AWAITING && c.withdrawable) {
                    withdraw = c.withdrawAsked ? null : c.batchId;
                    c.withdrawAsked = true;
                } else {
                    superseded = c.batchId;
                    state.supersede(c, p);
                }
            }
            wakeAt = asked != null ? state.force(c, p, asked, false) : c.batchId == null ? state.schedule(c, p, now) : -1;
            result = new AppendResult(false, c.batchId == null ? state.due[p].score(ref.key()) : -1, c.open.size());
        }
        state.tell(p, superseded, withdraw);
        state.wake(p, wakeAt);
        return result;
    }

    PresenceOutcome presence(ConversationRef ref, boolean typing, long newStateTtlMs) {
        int p = state.partitionOf(ref);
        long wakeAt;
        PresenceOutcome outcome;
        synchronized (state) {
            long now = state.now();
            state.evictIdle(now);
            MemoryConversation c = state.conversation(ref);
            c.pace.onPresence(typing, now, c.policy);
            boolean movable = !c.open.isEmpty() && c.batchId == null;
            wakeAt = movable ? state.schedule(c, p, now) : -1;
            outcome = movable ? PresenceOutcome.RESCHEDULED : PresenceOutcome.RECORDED;
            state.forgetIfIdle(c);
            if (c.pace.isNew() && c.idle()) {
                state.presenceOnlyUntil.remove(ref.key());
                state.presenceOnlyUntil.put(ref.key(), now + newStateTtlMs);
            }
        }
        state.wake(p, wakeAt);
        return outcome;
    }

    boolean flush(ConversationRef ref) {
        int p = state.partitionOf(ref);
        long wakeAt;
        synchronized (state) {
            MemoryConversation c = state.convs.get(ref.key());
            if (c == null || c.open.isEmpty()) {
                return false;
            }
            wakeAt = state.force(c, p, ReleaseReason.FLUSH, false);
        }
        state.wake(p, wakeAt);
        return true;
    }

    long clear(ConversationRef ref) {
        int p = state.partitionOf(ref);
        synchronized (state) {
            MemoryConversation c = state.convs.get(ref.key());
            if (c == null) {
                return 0;
            }
            long n = c.open.size() + (c.flight == null ? 0 : c.flight.size());
            c.open.clear();
            c.openBytes = 0;
            c.forced = null;
            state.batchConv.remove(c.batchId);
            c.flightSupersedes.forEach(state.batchConv::remove);
            c.openSupersedes.forEach(state.batchConv::remove);
            c.openSupersedes = List.of();
            c.openEarlierUpTo = -1;
            c.endFlight();
            state.due[p].remove(ref.key());
            state.inflight[p].remove(ref.key());
            state.forgetIfIdle(c);
            return n;
        }
    }
}
