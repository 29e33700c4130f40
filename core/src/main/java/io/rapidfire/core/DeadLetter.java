package io.rapidfire.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A batch given up on: {@code json} is the batch as the downstream would have received it, plus
 * {@code deadLetterReason} and {@code deadLetteredAt}.
 */
public record DeadLetter(String batchId, int partition, long deadAtMs, String json) {

    /** The document stored for a dead batch. */
    public static String document(Batch batch, String reason) {
        var node = BatchJson.tree(batch);
        node.put("deadLetterReason", reason);
        node.put("deadLetteredAt", System.currentTimeMillis());
        return node.toString();
    }

    public ConversationRef conversation() {
        JsonNode n = tree();
        return new ConversationRef(n.get("tenant").asText(), n.get("channel").asText(), n.get("conversation").asText());
    }

    public String reason() {
        return tree().path("deadLetterReason").asText("");
    }

    public int size() {
        return tree().path("size").asInt();
    }

    /** The stored document, parsed. */
    public JsonNode tree() {
        try {
            return MessageCodec.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("dead letter " + batchId + " is not valid JSON: " + json, e);
        }
    }
}
