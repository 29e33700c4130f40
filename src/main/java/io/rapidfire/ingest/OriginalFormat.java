package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The original system's two inbound shapes:
 * <pre>
 *   {"from": "79001234567@c.us", "message": "Hi", "messageId": "ABC", "timestamp": 1700000000, "companyId": "acme"}
 *   {"companyId": "acme", "messages": [{"from": ..., "body" | "message": ..., "type": ..., "messageId": ..., "timestamp": ...}]}
 * </pre>
 * A timestamp below 10^11 is taken as seconds (WhatsApp bridges send seconds), above as milliseconds.
 * Phone numbers are reduced to their digits ({@code +7 900 123-45-67}, {@code 79001234567@c.us} → 79001234567);
 * full E.164 normalisation with regions is the ingest issue's libphonenumber work.
 */
public final class OriginalFormat {
    public static final String SHAPES = "{\"from\": \"79001234567@c.us\", \"message\": \"text\", \"messageId\": \"id\", "
            + "\"timestamp\": 1700000000} or {\"companyId\": \"acme\", \"messages\": [{\"from\": ..., \"body\": ..., "
            + "\"messageId\": ..., \"timestamp\": ...}]}";
    private static final int MAX_MESSAGES_PER_REQUEST = 1_000;

    private OriginalFormat() {
    }

    public static List<Message> parse(JsonNode body, String defaultTenant, String channel) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("the body must be a JSON object: " + SHAPES);
        }
        String tenant = tenant(body.get("companyId"), defaultTenant);
        List<Message> out = new ArrayList<>();
        if (body.has("messages")) {
            JsonNode arr = body.get("messages");
            if (!arr.isArray() || arr.isEmpty()) {
                throw new BadRequest("'messages' must be a non-empty array: " + SHAPES);
            }
            if (arr.size() > MAX_MESSAGES_PER_REQUEST) {
                throw new BadRequest("'messages' holds " + arr.size() + " items; at most " + MAX_MESSAGES_PER_REQUEST
                        + " per request are accepted");
            }
            for (int i = 0; i < arr.size(); i++) {
                out.add(one(arr.get(i), "messages[" + i + "].", tenant, channel));
            }
        } else {
            out.add(one(body, "", tenant, channel));
        }
        return out;
    }

    private static Message one(JsonNode m, String at, String tenant, String channel) {
        if (!m.isObject()) {
            throw new BadRequest(at + " must be an object: " + SHAPES);
        }
        String from = requiredText(m, at, "from", "the sender's phone or chat id, e.g. \"79001234567@c.us\"");
        JsonNode textNode = m.has("message") ? m.get("message") : m.get("body");
        String textField = m.has("message") ? "message" : "body";
        if (textNode == null || textNode.isNull()) {
            throw new BadRequest("field '" + at + "message' (or '" + at + "body') is missing: the text the person sent");
        }
        if (!textNode.isTextual()) {
            throw new BadRequest("field '" + at + textField + "' must be a string, got " + textNode.getNodeType()
                    .toString().toLowerCase());
        }
        String id = null;
        JsonNode idNode = m.get("messageId");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual() && !idNode.isNumber()) {
                throw new BadRequest("field '" + at + "messageId' must be a string or number");
            }
            id = idNode.asText();
        }
        Long ts = null;
        JsonNode tsNode = m.get("timestamp");
        if (tsNode != null && !tsNode.isNull()) {
            if (!tsNode.isNumber() || tsNode.asLong() < 0) {
                throw new BadRequest("field '" + at + "timestamp' must be a non-negative number (unix seconds or "
                        + "milliseconds), got " + tsNode);
            }
            long v = tsNode.asLong();
            ts = v < 100_000_000_000L ? v * 1000 : v;
        }
        String type = m.path("type").asText("chat");
        try {
            ConversationRef ref = new ConversationRef(tenant, channel, normalizeSender(from));
            return new Message(id, ref, type.equals("chat") ? MessageType.TEXT : MessageType.fromWire(type),
                    textNode.asText(), ts, System.currentTimeMillis(), List.of(), Map.of());
        } catch (InvalidMessageException e) {
            throw new BadRequest(at + e.getMessage());
        }
    }

    private static String requiredText(JsonNode m, String at, String field, String what) {
        JsonNode n = m.get(field);
        if (n == null || n.isNull()) {
            throw new BadRequest("field '" + at + field + "' is missing: " + what);
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new BadRequest("field '" + at + field + "' must be a string: " + what);
        }
        if (n.asText().isBlank()) {
            throw new BadRequest("field '" + at + field + "' is empty: " + what);
        }
        return n.asText().trim();
    }

    private static String tenant(JsonNode n, String defaultTenant) {
        if (n == null || n.isNull()) {
            return defaultTenant;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new BadRequest("field 'companyId' must be a string or number");
        }
        String t = n.asText().trim();
        if (!t.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new BadRequest("field 'companyId' must be 1 to 64 characters of A-Z a-z 0-9 . _ -, got \"" + t + "\"");
        }
        return t;
    }

    /** Digits only for phone-like senders ("+7 900 123-45-67", "79001234567@c.us"); anything else unchanged. */
    static String normalizeSender(String from) {
        String s = from.replaceFirst("@(c\\.us|s\\.whatsapp\\.net)$", "");
        if (s.matches("\\+?[0-9][0-9 ()\\-.]{5,30}")) {
            return s.replaceAll("[^0-9]", "");
        }
        return from;
    }
}
