package io.rapidfire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.core.Mask;
import io.rapidfire.core.MessageCodec;

import java.util.Set;

/**
 * What an admin front end shows of the people in the chat, decided once for all of them: the original's stats
 * route, the dashboard's JSON ({@code /admin/*}) and the CLI ({@code stats}, {@code dlq} with {@code --masked}).
 * <ul>
 * <li>{@link #FULL}: everything. The admin token's holder, and the CLI (it holds REDIS_URL, which reads it all).</li>
 * <li>{@link #MASKED}: no message text (its length only), senders masked on every channel (numbers, Telegram ids,
 * e-mail addresses alike), numbers in free text masked whatever their punctuation, and a batch document reduced to
 * fields known to carry no personal data: anything not known is hidden, so a field added later is masked until
 * someone decides otherwise here.</li>
 * </ul>
 */
public enum AdminView {
    FULL, MASKED;

    /** Batch document fields that carry no personal data (BatchJson): shown as they are in the masked view. */
    private static final Set<String> PLAIN_BATCH_FIELDS = Set.of("batchId", "tenant", "channel", "seq", "reason",
            "attempt", "size", "firstMessageAt", "lastMessageAt", "spanMs", "companyId", "deadLetteredAt");
    private static final Set<String> PLAIN_MESSAGE_FIELDS = Set.of("type", "timestamp", "receivedAt");

    public boolean full() {
        return this == FULL;
    }

    /** "tenant:channel:sender" with the sender masked. */
    public String conversationKey(String key) {
        return full() || key == null ? key : Mask.conversation(key);
    }

    /** A sender id of any channel (a number, a Telegram id, an e-mail address). */
    public String sender(String id) {
        return full() || id == null ? id : Mask.id(id);
    }

    /** A person's words: the length only. */
    public String text(String text) {
        return full() || text == null ? text : "[" + text.length() + " characters hidden]";
    }

    /** Free text written by the system (a delivery error): {@link Mask#note} in the masked view. */
    public String note(String text) {
        return full() ? text : Mask.note(text);
    }

    /** A batch document (BatchJson) as this view shows it. */
    public JsonNode batchDocument(JsonNode doc) {
        if (full() || doc == null || !doc.isObject()) {
            return doc;
        }
        ObjectNode out = MessageCodec.JSON.createObjectNode();
        doc.fields().forEachRemaining(f -> {
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (PLAIN_BATCH_FIELDS.contains(name)) {
                out.set(name, v);
            } else if (name.equals("conversation") || name.equals("phone")) {
                out.put(name, sender(v.asText()));
            } else if (name.equals("deadLetterReason")) {
                out.put(name, note(v.asText()));
            } else if (name.equals("text") || name.equals("combinedMessage")) {
                out.put(name, text(v.asText()));
            } else if (name.equals("messages") && v.isArray()) {
                ArrayNode ms = out.putArray(name);
                v.forEach(m -> ms.add(message(m)));
            } else {
                out.put(name, "[hidden]");
            }
        });
        return out;
    }

    private ObjectNode message(JsonNode m) {
        ObjectNode x = MessageCodec.JSON.createObjectNode();
        m.fields().forEachRemaining(f -> {
            String name = f.getKey();
            if (PLAIN_MESSAGE_FIELDS.contains(name)) {
                x.set(name, f.getValue());
            } else if (name.equals("id")) {
                x.put(name, "[hidden]"); // platform ids embed the sender (false_79001234567@c.us_3EB0...)
            } else if (name.equals("text")) {
                x.put(name, text(f.getValue().asText()));
            } else if (name.equals("attachments") && f.getValue().isArray()) {
                x.put(name, f.getValue().size() + " hidden");
            } else {
                x.put(name, "[hidden]");
            }
        });
        return x;
    }
}
