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
        for (Message m : b.messages()) {
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
}
