package io.rapidfire.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Edits and deletions of messages the person made while their thought waited (issue 24): "i want 2 pizzas", an edit
 * to 3, "pepperoni" must reach the bot as "i want 3 pizzas pepperoni", and a deleted message must not reach it.
 *
 * <p>An edit or a deletion is stored like any message (type {@link MessageType#EDIT} / {@link MessageType#DELETION},
 * {@code metadata.originalId} naming the message it changes), so it is activity for the release rules and counts
 * against maxMessages and maxBytes exactly like a message (for an edit, its bytes add to the original's: a batch
 * may be released a little earlier than the edited text alone would make it, never later). They are folded here,
 * when a batch is built ({@link Batch#of}), which every store calls: one rule for the memory store, Redis and
 * Redis Cluster, with no JSON rewriting in Lua.
 *
 * <ul>
 *   <li>an edit whose original is in the same batch replaces the original's text (and a caption that was that
 *       text) in place, keeps its position, and marks it {@code metadata.edited = true}; several edits apply in
 *       arrival order, the last one wins;</li>
 *   <li>a deletion whose original is in the same batch removes it; the batch lists the id in
 *       {@link Batch#deleted()}; edits of a deleted message go with it;</li>
 *   <li>an edit or a deletion whose original was released in an earlier batch (or never arrived) stays in the batch
 *       as an event naming the original ({@code type} edit / deletion, {@code metadata.originalId}): the bot
 *       decides what a late correction means.</li>
 * </ul>
 * A batch whose every message was deleted is acknowledged without being delivered (see the worker): no LLM call
 * for a thought the person took back.
 */
public final class Edits {
    /** The metadata key naming the message an edit or a deletion changes. */
    public static final String ORIGINAL_ID = "originalId";

    private Edits() {
    }

    /** The id of the message {@code m} edits or deletes, or null when it is a message of its own. */
    public static String originalOf(Message m) {
        if (!m.type().isChange()) {
            return null;
        }
        Object id = m.metadata().get(ORIGINAL_ID);
        return id == null ? null : id.toString();
    }

    /** The metadata of an edit or a deletion of message {@code originalId}: the bridge's own plus the name of the original. */
    public static Map<String, Object> naming(String originalId, Map<String, Object> metadata) {
        Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.put(ORIGINAL_ID, originalId);
        return m;
    }

    /** The batch's messages after folding, in arrival order, and the ids of the messages deleted from it. */
    public record Folded(List<StoredMessage> messages, List<String> deleted) {
    }

    /** Folds the edits and deletions of {@code arrived} (arrival order) into the messages they change. */
    public static Folded fold(List<StoredMessage> arrived) {
        Map<String, Integer> originals = new HashMap<>();
        boolean anyChange = false;
        for (int i = 0; i < arrived.size(); i++) {
            Message m = arrived.get(i).message();
            if (originalOf(m) != null) {
                anyChange = true;
            } else if (m.id() != null) {
                originals.putIfAbsent(m.id(), i);
            }
        }
        if (!anyChange) {
            return new Folded(arrived, List.of());
        }
        List<StoredMessage> out = new ArrayList<>(arrived);
        Set<Integer> gone = new HashSet<>();
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < arrived.size(); i++) {
            Message change = arrived.get(i).message();
            String target = originalOf(change);
            if (target == null) {
                continue;
            }
            Integer at = originals.get(target);
            if (at == null) {
                continue; // the original is not in this batch: the change stays, as an event naming it
            }
            gone.add(i);
            if (gone.contains(at)) {
                continue; // a change of a message already deleted goes with it
            }
            if (change.type() == MessageType.DELETION) {
                gone.add(at);
                deleted.add(target);
            } else {
                StoredMessage original = out.get(at);
                out.set(at, new StoredMessage(edited(original.message(), change), original.storedAtMs()));
            }
        }
        List<StoredMessage> kept = new ArrayList<>(out.size() - gone.size());
        for (int i = 0; i < out.size(); i++) {
            if (!gone.contains(i)) {
                kept.add(out.get(i));
            }
        }
        return new Folded(kept, List.copyOf(deleted));
    }

    private static Message edited(Message original, Message edit) {
        List<Attachment> attachments = new ArrayList<>(original.attachments().size());
        for (Attachment a : original.attachments()) {
            // A media message's caption is its text: an edit of the caption edits both.
            attachments.add(a.caption() != null && a.caption().equals(original.text())
                    ? new Attachment(a.type(), a.mediaId(), a.mimeType(), edit.text(), a.url()) : a);
        }
        Map<String, Object> meta = new LinkedHashMap<>(original.metadata());
        meta.put("edited", true);
        return new Message(original.id(), original.conversation(), original.type(), edit.text(),
                original.platformTimestampMs(), original.receivedAtMs(), attachments, meta, original.trace());
    }
}
