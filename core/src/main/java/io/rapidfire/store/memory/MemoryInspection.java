package io.rapidfire.store.memory;

import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.StoreCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Read-only inspection for operators: pending and in-flight batches, counts. */
final class MemoryInspection {
    private final MemoryState state;

    MemoryInspection(MemoryState state) {
        this.state = state;
    }

    List<PendingBatch> pending(int limit) {
        synchronized (state) {
            List<PendingBatch> out = new ArrayList<>();
            for (int p = 0; p < state.partitions; p++) {
                for (Map.Entry<String, Long> e : state.due[p].head(limit)) {
                    MemoryConversation c = state.convs.get(e.getKey());
                    ReleaseReason rule = ReleaseRules.reason(c.open.size(), c.openBytes, false, c.first(), c.last(),
                            c.forced, c.policy, c.pace);
                    out.add(new PendingBatch(c.ref, p, c.open.size(), c.openBytes, c.first(), c.last(), e.getValue(),
                            rule, c.pace.presence() ? c.pace.composing() : null));
                }
            }
            return out;
        }
    }

    List<InflightBatch> inflight(int limit) {
        synchronized (state) {
            List<InflightBatch> out = new ArrayList<>();
            for (int p = 0; p < state.partitions; p++) {
                for (Map.Entry<String, Long> e : state.inflight[p].head(limit)) {
                    MemoryConversation c = state.convs.get(e.getKey());
                    out.add(new InflightBatch(c.ref, p, c.batchId, c.attempt, c.state, e.getValue(), c.worker,
                            c.lastError, c.open.size()));
                }
            }
            return out;
        }
    }

    StoreCounts counts() {
        synchronized (state) {
            long pending = 0;
            long flying = 0;
            long dead = 0;
            for (int p = 0; p < state.partitions; p++) {
                pending += state.due[p].size();
                flying += state.inflight[p].size();
                dead += state.deadLetters.get(p).size();
            }
            return new StoreCounts(pending, flying, dead);
        }
    }

    /** Conversations held in memory, pending or idle (for tests of the garbage collection). */
    int conversationsHeld() {
        synchronized (state) {
            return state.convs.size();
        }
    }

    List<io.rapidfire.core.StoreAdmin.Found> find(String text, int limit) {
        synchronized (state) {
            List<io.rapidfire.core.StoreAdmin.Found> out = new ArrayList<>();
            for (MemoryConversation c : state.convs.values()) {
                if (out.size() >= limit) {
                    break;
                }
                boolean byKey = c.key().contains(text) || (!c.open.isEmpty() || c.batchId != null)
                        && c.seen.containsKey(text);
                if (c.batchId != null && (byKey || c.batchId.equals(text))) {
                    out.add(new io.rapidfire.core.StoreAdmin.Found(c.ref, true, c.batchId));
                } else if (byKey && !c.open.isEmpty()) {
                    out.add(new io.rapidfire.core.StoreAdmin.Found(c.ref, false, null));
                }
            }
            return out;
        }
    }
}
