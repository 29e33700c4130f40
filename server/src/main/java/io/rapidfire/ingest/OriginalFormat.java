package io.rapidfire.ingest;

import io.rapidfire.http.Names;

import io.rapidfire.http.BadRequest;

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
 * {@code companyId} is the tenant.
 */
final class OriginalFormat {
    static final String SHAPES = "{\"from\": \"79001234567@c.us\", \"message\": \"text\", \"messageId\": \"id\", "
            + "\"timestamp\": 1700000000} or {\"companyId\": \"acme\", \"messages\": [{\"from\": ..., \"body\": ..., "
            + "\"messageId\": ..., \"timestamp\": ...}]}";
    static final int MAX_MESSAGES_PER_REQUEST = 1_000;

    private OriginalFormat() {
    }

    static Inbound parse(JsonNode body, InboundContext ctx) {
        Fields.object(body, "", SHAPES);
        InboundContext c = withTenant(body, ctx);
        List<Message> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (body.has("messages")) {
            JsonNode arr = body.get("messages");
            if (!arr.isArray() || arr.isEmpty()) {
                throw new BadRequest("'messages' must be a non-empty array: " + SHAPES);
            }
            checkCount(arr.size());
            for (int i = 0; i < arr.size(); i++) {
                one(arr.get(i), "messages[" + i + "].", c, out, ignored);
            }
        } else {
            one(body, "", c, out, ignored);
        }
        return new Inbound("original", out, ignored);
    }

    static void checkCount(int n) {
        if (n > MAX_MESSAGES_PER_REQUEST) {
            throw new BadRequest("the request holds " + n + " messages; at most " + MAX_MESSAGES_PER_REQUEST
                    + " per request are accepted");
        }
    }

    static InboundContext withTenant(JsonNode body, InboundContext ctx) {
        String t = Fields.text(body, "companyId", "");
        if (t == null) {
            return ctx;
        }
        return new InboundContext(Names.tenant(t, "field 'companyId'"), ctx.channel(), ctx.identity(), ctx.acceptFromMe());
    }

    private static void one(JsonNode m, String at, InboundContext ctx, List<Message> out, List<String> ignored) {
        Fields.object(m, at.isEmpty() ? "" : at.substring(0, at.length() - 1), SHAPES);
        String from = Fields.requiredText(m, "from", at, "the sender's phone or chat id, e.g. \"79001234567@c.us\"");
        String field = m.has("message") ? "message" : "body";
        JsonNode t = m.get(field);
        if (t == null || t.isNull()) {
            throw new BadRequest("field '" + at + "message' (or '" + at + "body') is missing: the text the person sent");
        }
        if (!t.isTextual()) {
            throw new BadRequest("field '" + at + field + "' must be a string, got " + Fields.kind(t));
        }
        String id = Fields.text(m, "messageId", at);
        Long ts = Fields.timestamp(m, "timestamp", at);
        String type = Fields.text(m, "type", at);
        if (Fields.bool(m, "fromMe") && !ctx.acceptFromMe()) {
            ignored.add("sent by the bot itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)");
            return;
        }
        SenderIdentity.Sender s = ctx.identity().whatsapp(from, Fields.text(m, "author", at), at + "from");
        if (s.ignored() != null) {
            ignored.add(s.ignored());
            return;
        }
        out.add(build(ctx, s.id(), id, type == null || type.equals("chat") ? MessageType.TEXT : MessageType.fromPlatform(type),
                t.asText(), ts, List.of(), Map.of(), at));
    }

    /** Builds a message, turning a broken limit (id too long, bad conversation) into a 400 naming the item. */
    static Message build(InboundContext ctx, String conversation, String id, MessageType type, String text, Long ts,
                         List<io.rapidfire.core.Attachment> attachments, Map<String, Object> metadata, String at) {
        try {
            return new Message(id, new ConversationRef(ctx.tenant(), ctx.channel(), conversation), type, text, ts,
                    System.currentTimeMillis(), attachments, metadata);
        } catch (InvalidMessageException e) {
            throw new BadRequest((at.isEmpty() ? "" : at.substring(0, at.length() - 1) + ": ") + e.getMessage());
        }
    }
}
