package io.rapidfire.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the downstream receives: one conversation's messages released together.
 * {@code batchId} is stable across redeliveries (DESIGN.md invariant 2); {@code attempt} counts them from 1.
 * Times are the store's clock. {@code deleted}: ids of messages the person deleted before the batch was released
 * (they are not in {@code messages}; see {@link Edits}). {@code supersedes}: ids of earlier batches whose messages
 * this one carries again because the person wrote while the bot was answering them (oldest first, empty when none;
 * docs/release-rules.md, one answer per thought); {@code earlier}: the positions in {@code messages} of those
 * messages, so the bot can tell what it had already seen. {@code handover}: a human had the conversation when the
 * batch was claimed ({@link Handover}): record it, do not answer.
 */
public record Batch(String batchId, ConversationRef conversation, long seq, List<Message> messages, String text,
                    long firstMessageAtMs, long lastMessageAtMs, ReleaseReason reason, int attempt,
                    List<String> deleted, List<String> supersedes, List<Integer> earlier, boolean handover) {

    /**
     * Within a batch, messages are ordered by the platform's timestamp where one was given (bridges post
     * concurrently, so arrival order can be wrong), otherwise by the store-clock arrival time; ties keep
     * arrival order. The sort is deterministic, so a redelivery carries exactly the same order.
     */
    public static final Comparator<StoredMessage> ORDER = Comparator.comparingLong(
            m -> m.message().platformTimestampMs() != null ? m.message().platformTimestampMs() : m.storedAtMs());

    public static Batch of(String batchId, ConversationRef conversation, long seq, List<StoredMessage> arrived,
                           ReleaseReason reason, int attempt, String joiner) {
        return of(batchId, conversation, seq, arrived, reason, attempt, joiner, List.of(), -1);
    }

    /**
     * @param supersedes    the batches this one supersedes, oldest first
     * @param earlierUpToMs messages stored at or before this (store clock) were in a superseded batch; -1: none
     */
    public static Batch of(String batchId, ConversationRef conversation, long seq, List<StoredMessage> arrived,
                           ReleaseReason reason, int attempt, String joiner, List<String> supersedes,
                           long earlierUpToMs) {
        Edits.Folded folded = Edits.fold(arrived);
        List<StoredMessage> sorted = new ArrayList<>(folded.messages());
        sorted.sort(ORDER); // List.sort is stable
        List<Message> messages = sorted.stream().map(StoredMessage::message).collect(Collectors.toList());
        List<Integer> earlier = new ArrayList<>();
        for (int i = 0; i < sorted.size() && !supersedes.isEmpty(); i++) {
            if (sorted.get(i).storedAtMs() <= earlierUpToMs) {
                earlier.add(i);
            }
        }
        long first = arrived.stream().mapToLong(StoredMessage::storedAtMs).min().orElse(0);
        long last = arrived.stream().mapToLong(StoredMessage::storedAtMs).max().orElse(0);
        return new Batch(batchId, conversation, seq, List.copyOf(messages), ReleaseRules.join(messages, joiner), first, last,
                reason, attempt, folded.deleted(), List.copyOf(supersedes), List.copyOf(earlier), false);
    }

    /** This batch, marked as claimed while a human had the conversation (or not). */
    public Batch withHandover(boolean on) {
        return new Batch(batchId, conversation, seq, messages, text, firstMessageAtMs, lastMessageAtMs, reason, attempt,
                deleted, supersedes, earlier, on);
    }

    /** Only handover events, nothing the person wrote: for the record, never for the bot to answer. */
    public boolean onlyEvents() {
        return !messages.isEmpty() && messages.stream().allMatch(m -> m.type() == MessageType.HANDOVER);
    }

    /** True when the person deleted every message of the batch: there is nothing to deliver. */
    public boolean allDeleted() {
        return messages.isEmpty() && !deleted.isEmpty();
    }

    public int size() {
        return messages.size();
    }

    public int contentBytes() {
        return messages.stream().mapToInt(Message::contentBytes).sum();
    }
}
