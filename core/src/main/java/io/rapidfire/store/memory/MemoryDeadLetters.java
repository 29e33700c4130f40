package io.rapidfire.store.memory;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.ReleaseReason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Dead letters: list and show them, replay their messages, purge them. */
final class MemoryDeadLetters {
    private final MemoryState state;

    MemoryDeadLetters(MemoryState state) {
        this.state = state;
    }

    List<DeadLetter> list(int limit) {
        synchronized (state) {
            List<DeadLetter> out = new ArrayList<>();
            for (Map<String, MemoryState.Dead> part : state.deadLetters) {
                part.values().stream().limit(limit).forEach(d -> out.add(d.letter()));
            }
            out.sort(Comparator.comparingLong(DeadLetter::deadAtMs));
            return out;
        }
    }

    DeadLetter show(String batchId) {
        synchronized (state) {
            for (Map<String, MemoryState.Dead> part : state.deadLetters) {
                if (part.containsKey(batchId)) {
                    return part.get(batchId).letter();
                }
            }
            return null;
        }
    }

    int replay(String batchId) {
        int p;
        long wakeAt;
        int n;
        synchronized (state) {
            DeadLetter d = show(batchId);
            if (d == null) {
                return -1;
            }
            p = d.partition();
            MemoryState.Dead dead = state.deadLetters.get(p).remove(batchId);
            ConversationRef ref = d.conversation();
            MemoryConversation c = state.conversation(ref);
            state.idleSince.remove(ref.key());
            c.reopen(dead.messages());
            n = dead.messages().size();
            wakeAt = state.force(c, p, ReleaseReason.REPLAY, true);
        }
        state.wake(p, wakeAt);
        return n;
    }

    boolean purge(String batchId) {
        synchronized (state) {
            for (Map<String, MemoryState.Dead> part : state.deadLetters) {
                if (part.remove(batchId) != null) {
                    return true;
                }
            }
            return false;
        }
    }
}
