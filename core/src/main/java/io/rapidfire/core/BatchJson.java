package io.rapidfire.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON every sink sends for a batch. Field names are part of the public contract (README "Batch JSON");
 * {@code phone}, {@code companyId}, {@code combinedMessage} and {@code size} repeat the original system's
 * names so its consumers keep working.
 */
public final class BatchJson {
    private BatchJson() {
    }

    public static ObjectNode tree(Batch b) {
        return tree(b, null);
    }

    /**
     * @param commitUrl where the bot asks whether it may still answer (one answer per thought); null: not given
     */
    public static ObjectNode tree(Batch b, String commitUrl) {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("batchId", b.batchId());
        o.put("tenant", b.conversation().tenant());
        o.put("channel", b.conversation().channel());
        o.put("conversation", b.conversation().conversation());
        o.put("seq", b.seq());
        o.put("reason", b.reason().wire());
        o.put("attempt", b.attempt());
        o.put("text", b.text());
        o.put("size", b.size());
        o.put("firstMessageAt", b.firstMessageAtMs());
        o.put("lastMessageAt", b.lastMessageAtMs());
        o.put("spanMs", b.lastMessageAtMs() - b.firstMessageAtMs());
        ArrayNode ms = o.putArray("messages");
        java.util.Set<Integer> earlier = new java.util.HashSet<>(b.earlier());
        for (int i = 0; i < b.messages().size(); i++) {
            Message m = b.messages().get(i);
            ObjectNode x = ms.addObject();
            x.put("id", m.id());
            x.put("type", m.type().wire());
            x.put("text", m.text());
            if (m.platformTimestampMs() != null) {
                x.put("timestamp", m.platformTimestampMs());
            } else {
                x.putNull("timestamp");
            }
            x.put("receivedAt", m.receivedAtMs());
            if (!m.attachments().isEmpty()) {
                x.set("attachments", MessageCodec.JSON.valueToTree(m.attachments()));
            }
            if (!m.metadata().isEmpty()) {
                x.set("metadata", MessageCodec.JSON.valueToTree(m.metadata()));
            }
            if (earlier.contains(i)) {
                x.put("earlier", true); // it was in a batch this one supersedes: the bot has seen it before
            }
        }
        // Always present, so a bot can test it without a default: true means a human has the conversation.
        o.put("handover", b.handover());
        if (!b.supersedes().isEmpty()) {
            o.set("supersedes", MessageCodec.JSON.valueToTree(b.supersedes()));
        }
        if (commitUrl != null) {
            o.put("commitUrl", commitUrl);
        }
        if (!b.deleted().isEmpty()) {
            o.set("deleted", MessageCodec.JSON.valueToTree(b.deleted()));
        }
        // The original system's names, for consumers switching over.
        o.put("companyId", b.conversation().tenant());
        o.put("phone", b.conversation().conversation());
        o.put("combinedMessage", b.text());
        return o;
    }

    public static String of(Batch b) {
        return tree(b).toString();
    }

    public static String of(Batch b, String commitUrl) {
        return tree(b, commitUrl).toString();
    }
}
