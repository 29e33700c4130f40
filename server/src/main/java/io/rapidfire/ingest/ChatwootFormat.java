package io.rapidfire.ingest;

import io.rapidfire.http.Answers;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Chatwoot agent bot's webhook, on {@code POST /webhook/chatwoot} (Chatwoot's agent bot and webhook events:
 * {@code {"event": "message_created", "id": 7, "content": "Hi", "message_type": "incoming", "private": false,
 * "created_at": …, "sender": {...}, "conversation": {"id": 42, ...}, "account": {"id": 1}, "attachments": [...]}}).
 * The contact's {@code incoming} messages are batched, one conversation per Chatwoot conversation
 * ({@code cw:<account>/<conversation>}: the bot answers into that thread); agent and bot messages
 * ({@code outgoing}) are the business's and are ignored with reason {@code from_business} (the handover work uses
 * them), like activity notices, templates and private notes. Every other event is acknowledged naming it.
 */
final class ChatwootFormat {
    static final String SHAPE = "{\"event\": \"message_created\", \"id\": 7, \"content\": \"Hi\", \"message_type\": "
            + "\"incoming\", \"conversation\": {\"id\": 42}, \"account\": {\"id\": 1}}";

    private ChatwootFormat() {
    }

    /**
     * An outgoing message as the business's: its sender's type says who wrote it, {@code user} an agent in the inbox
     * (a person), {@code agent_bot} an agent bot (through the API); a private note is no message to the contact.
     */
    private static Inbound.Business business(JsonNode b, InboundContext ctx) {
        String conversation = b.path("conversation").path("id").asText("");
        if (conversation.isEmpty() || b.path("private").asBoolean(false)) {
            return null;
        }
        String sender = b.path("sender").path("type").asText("").toLowerCase(java.util.Locale.ROOT);
        Boolean byApi = sender.equals("user") ? Boolean.FALSE : sender.equals("agent_bot") || sender.equals("agentbot")
                ? Boolean.TRUE : null;
        String conv = "cw:" + b.path("account").path("id").asText("0") + "/" + conversation;
        return new Inbound.Business(new io.rapidfire.core.ConversationRef(ctx.tenant(), ctx.channel(), conv),
                b.path("content").asText(""), byApi);
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        Fields.object(b, "", SHAPE);
        String event = Fields.requiredText(b, "event", "", "the Chatwoot event, e.g. \"message_created\"");
        if (!event.equals("message_created")) {
            return ignored("event " + Answers.clip(event) + " is not a person's new message (acknowledged, not batched)");
        }
        String type = b.path("message_type").asText("");
        if (type.equals("outgoing") || type.equals("1")) {
            return Inbound.business("chatwoot", "from_business: an agent's or a bot's message in the conversation, not "
                    + "the contact's", business(b, ctx));
        }
        if (!type.equals("incoming") && !type.equals("0")) {
            return ignored("message_type " + Answers.clip(type) + " (an activity notice or template), not the contact's");
        }
        if (b.path("private").asBoolean(false)) {
            return ignored("a private note, not the contact's");
        }
        JsonNode conversation = Fields.object(b.get("conversation"), "conversation", SHAPE);
        String conv = "cw:" + b.path("account").path("id").asText("0") + "/"
                + Fields.requiredText(conversation, "id", "conversation.", "the Chatwoot conversation id");
        String id = "cw:" + Fields.requiredText(b, "id", "", "the message id");
        String text = b.path("content").isTextual() ? b.get("content").asText() : "";
        List<Attachment> attachments = new ArrayList<>();
        MessageType kind = MessageType.TEXT;
        JsonNode files = Fields.array(b, "attachments", "");
        for (int i = 0; files != null && i < files.size(); i++) {
            JsonNode a = Fields.object(files.get(i), "attachments[" + i + "]", "{\"file_type\": \"image\", \"data_url\": \"…\"}");
            MessageType t = switch (a.path("file_type").asText("file")) {
                case "image" -> MessageType.IMAGE;
                case "audio" -> MessageType.AUDIO;
                case "video" -> MessageType.VIDEO;
                case "location" -> MessageType.LOCATION;
                case "contact" -> MessageType.CONTACT;
                default -> MessageType.DOCUMENT;
            };
            if (kind == MessageType.TEXT) {
                kind = t;
            }
            attachments.add(new Attachment(t.wire(), a.path("id").asText(null), null, text,
                    a.path("data_url").asText(null)));
        }
        if (text.isEmpty() && attachments.isEmpty()) {
            return ignored("message without content or attachments");
        }
        Map<String, Object> meta = new HashMap<>();
        if (b.path("sender").hasNonNull("name")) {
            meta.put("name", b.path("sender").get("name").asText());
        }
        if (b.path("inbox").hasNonNull("id")) {
            meta.put("inboxId", b.path("inbox").get("id").asText());
        }
        Message m = OriginalFormat.build(ctx, conv, id, kind, text, createdAt(b), attachments, meta, "");
        return new Inbound("chatwoot", List.of(m), List.of());
    }

    /** {@code created_at}: unix seconds, or an ISO 8601 time; null (ordered by arrival) when neither. */
    private static Long createdAt(JsonNode b) {
        JsonNode c = b.get("created_at");
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isNumber() || c.asText().matches("\\d{1,15}")) {
            return Fields.timestamp(b, "created_at", "");
        }
        try {
            return Instant.parse(c.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Inbound ignored(String why) {
        return new Inbound("chatwoot", List.of(), List.of(why));
    }
}
