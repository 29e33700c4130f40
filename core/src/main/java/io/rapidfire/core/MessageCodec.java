package io.rapidfire.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compact JSON a store keeps for each message. The conversation is not repeated: the key names it.
 * Short field names because a busy deployment holds millions of these in Redis memory.
 */
public final class MessageCodec {
    /**
     * Strict on input: trailing garbage after the JSON value and duplicate keys are errors, so an ambiguous
     * webhook body is refused rather than guessed at.
     */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private MessageCodec() {
    }

    public static String encode(Message m) {
        ObjectNode o = JSON.createObjectNode();
        if (m.id() != null) {
            o.put("i", m.id());
        }
        if (m.type() != MessageType.TEXT) {
            o.put("y", m.type().wire());
        }
        o.put("t", m.text());
        if (m.platformTimestampMs() != null) {
            o.put("p", m.platformTimestampMs());
        }
        o.put("r", m.receivedAtMs());
        if (!m.attachments().isEmpty()) {
            ArrayNode a = o.putArray("a");
            for (Attachment at : m.attachments()) {
                a.add(JSON.valueToTree(at));
            }
        }
        if (!m.metadata().isEmpty()) {
            o.set("m", JSON.valueToTree(m.metadata()));
        }
        if (m.trace() != null) {
            o.put("x", m.trace());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("message cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public static Message decode(String json, ConversationRef conversation) {
        try {
            JsonNode o = JSON.readTree(json);
            List<Attachment> attachments = new ArrayList<>();
            if (o.has("a")) {
                for (JsonNode a : o.get("a")) {
                    attachments.add(JSON.treeToValue(a, Attachment.class));
                }
            }
            Map<String, Object> meta = o.has("m") ? JSON.treeToValue(o.get("m"), Map.class) : Map.of();
            return new Message(o.hasNonNull("i") ? o.get("i").asText() : null, conversation,
                    MessageType.fromWire(o.path("y").asText("text")), o.path("t").asText(""),
                    o.hasNonNull("p") ? o.get("p").asLong() : null, o.path("r").asLong(), attachments, meta,
                    o.hasNonNull("x") ? o.get("x").asText() : null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message of " + conversation + " is not valid JSON: " + json, e);
        }
    }
}
