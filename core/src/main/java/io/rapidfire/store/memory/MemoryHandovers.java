package io.rapidfire.store.memory;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Handover;
import io.rapidfire.core.HandoverBy;
import io.rapidfire.core.Handovers.HandoverChange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Handovers on the embedded store: one map under the store's lock, so claims and commits see them atomically.
 * Listing and finding the expired ones walk the map: the embedded store holds one process's conversations.
 */
final class MemoryHandovers {
    private final MemoryState state;

    MemoryHandovers(MemoryState state) {
        this.state = state;
    }

    /** The handover in force at the store's now, or null. Called with or without the lock held. */
    Handover active(String convKey) {
        synchronized (state) {
            Handover h = state.handovers.get(convKey);
            return h != null && h.activeAt(state.now()) ? h : null;
        }
    }

    HandoverChange start(ConversationRef ref, long forMs, HandoverBy by) {
        Handover.checkLength(forMs);
        synchronized (state) {
            long now = state.now();
            Handover cur = active(ref.key());
            Handover expired = cur == null ? state.handovers.get(ref.key()) : null;
            long until = forMs == Handover.FOREVER ? Handover.FOREVER : now + forMs;
            Handover next;
            if (cur == null) {
                next = new Handover(ref, now, until, by.wire());
            } else {
                boolean later = cur.forever() || (until != Handover.FOREVER && until <= cur.untilMs());
                next = later ? cur : new Handover(ref, cur.sinceMs(), until, cur.by());
            }
            state.handovers.put(ref.key(), next);
            return new HandoverChange(next, cur == null, expired);
        }
    }

    Handover end(ConversationRef ref) {
        synchronized (state) {
            Handover cur = active(ref.key());
            if (cur != null) {
                state.handovers.remove(ref.key());
            }
            return cur;
        }
    }

    List<Handover> expired(int partition, int max) {
        synchronized (state) {
            long now = state.now();
            return state.handovers.values().stream()
                    .filter(h -> !h.activeAt(now) && state.partitionOf(h.conversation()) == partition)
                    .sorted(Comparator.comparingLong(Handover::untilMs)).limit(max).toList();
        }
    }

    boolean forget(Handover expired) {
        synchronized (state) {
            String key = expired.conversation().key();
            Handover cur = state.handovers.get(key);
            if (cur == null || cur.untilMs() != expired.untilMs() || cur.sinceMs() != expired.sinceMs()
                    || cur.activeAt(state.now())) {
                return false;
            }
            state.handovers.remove(key);
            return true;
        }
    }

    List<Handover> list(int limit) {
        synchronized (state) {
            long now = state.now();
            List<Handover> out = new ArrayList<>();
            for (Handover h : state.handovers.values()) {
                if (h.activeAt(now)) {
                    out.add(h);
                }
            }
            out.sort(Comparator.comparingInt((Handover h) -> state.partitionOf(h.conversation()))
                    .thenComparing(h -> h.conversation().key()));
            return out.size() > limit ? out.subList(0, limit) : out;
        }
    }

    private final java.util.ArrayDeque<String> changes = new java.util.ArrayDeque<>();

    void record(String line) {
        synchronized (state) {
            changes.addFirst(line);
            while (changes.size() > io.rapidfire.core.Handovers.RECENT_CHANGES) {
                changes.removeLast();
            }
        }
    }

    List<String> recent(int limit) {
        synchronized (state) {
            return changes.stream().limit(limit).toList();
        }
    }
}
