package io.rapidfire.store.memory;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.Pace;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.StoredMessage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;

/** One conversation's state: its open batch, its batch in flight, its pace; what the Redis store keeps in its hash. */
final class MemoryConversation {
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
    /**
     * A human had the chat when it was claimed or its commit was asked: committed for the bot's purposes (nothing
     * supersedes it), marked on every delivery, a commit answered "handed over" (fcm 'h' in Redis).
     */
    boolean handedOver;
    /** It was claimed under a policy that supersedes (fsp): its tombstone depends on that, not on a later append. */
    boolean flightSupersede;
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

    MemoryConversation(ConversationRef ref) {
        this.ref = ref;
    }

    String key() {
        return ref.key();
    }

    long first() {
        return open.getFirst().storedAtMs();
    }

    long last() {
        return open.getLast().storedAtMs();
    }

    boolean idle() {
        return open.isEmpty() && batchId == null;
    }

    /** The store time of the first message in flight, {@code none} when nothing is. */
    long flightFirst(long none) {
        return flight.stream().mapToLong(StoredMessage::storedAtMs).min().orElse(none);
    }

    /** Whether a message appended now supersedes the batch in flight (rules.lua ruleSupersedes). */
    boolean supersededBy(long now) {
        long flightBytes = flight.stream().mapToLong(m -> m.message().contentBytes()).sum();
        return ReleaseRules.supersedes(policy, committed, flight.size(), flightBytes, flightFirst(now), open.size(),
                openBytes, now);
    }

    long deadline(long now) {
        return ReleaseRules.deadline(open.size(), openBytes, first(), last(), forced, policy, pace, now);
    }

    /** Puts messages back in front of the open ones, oldest first (a superseded batch, a replayed dead letter). */
    void reopen(List<StoredMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            StoredMessage m = messages.get(i);
            open.addFirst(m);
            openBytes += m.message().contentBytes();
        }
    }

    void endFlight() {
        batchId = null;
        token = null;
        flight = null;
        state = null;
        worker = null;
        lastError = null;
        committed = false;
        handedOver = false;
        flightSupersede = false;
        withdrawable = false;
        withdrawAsked = false;
        flightSupersedes = List.of();
        flightEarlierUpTo = -1;
    }
}
