package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Telegram Bot API update ({@code {"update_id": …, "message": {...}}}). A private chat is the conversation
 * {@code tg:<chat id>}; a group, when accepted, one per member: {@code tg:<chat id>/<user id>}. Edited messages,
 * channel posts and callback queries are accepted and ignored; messages from bots are ignored like fromMe.
 * Media: the largest photo size's file_id, voice, audio, video, document, sticker, location, contact.
 */
final class TelegramFormat {
    static final String SHAPE = "{\"update_id\": 1, \"message\": {\"message_id\": 1, \"from\": {\"id\": 42}, "
            + "\"chat\": {\"id\": 42, \"type\": \"private\"}, \"date\": 1700000000, \"text\": \"Hi\"}}";

    private TelegramFormat() {
    }

    static Inbound parse(JsonNode b, InboundContext ctx, boolean acceptGroups) {
        Fields.object(b, "", SHAPE);
        if (!b.has("update_id")) {
            throw new BadRequest("field 'update_id' is missing: this is not a Telegram update: " + SHAPE);
        }
        JsonNode m = b.get("message");
        if (m == null || m.isNull()) {
            for (String other : new String[]{"edited_message", "channel_post", "edited_channel_post", "callback_query",
                    "my_chat_member", "chat_member", "inline_query"}) {
                if (b.has(other)) {
                    return new Inbound("telegram", List.of(), List.of(other + " update (only new messages are batched)"));
                }
            }
            throw new BadRequest("the update has no 'message': " + SHAPE);
        }
        Fields.object(m, "message", SHAPE);
        JsonNode chat = Fields.object(m.get("chat"), "message.chat", SHAPE);
        String chatId = Fields.requiredText(chat, "id", "message.chat.", "the chat id");
        JsonNode from = m.path("from");
        if (from.path("is_bot").asBoolean(false) && !ctx.acceptFromMe()) {
            return new Inbound("telegram", List.of(), List.of("sent by a bot (RAPIDFIRE_ACCEPT_FROM_ME=false)"));
        }
        String conv;
        String chatType = chat.path("type").asText("private");
        if (chatType.equals("private")) {
            conv = "tg:" + chatId;
        } else if (!acceptGroups) {
            return new Inbound("telegram", List.of(), List.of(chatType + " chat " + chatId
                    + " (RAPIDFIRE_ACCEPT_GROUPS=false)"));
        } else {
            if (!from.has("id")) {
                throw new BadRequest("field 'message.from.id' is missing: a group message is one conversation per member");
            }
            conv = "tg:" + chatId + "/" + from.get("id").asText();
        }
        String id = Fields.requiredText(m, "message_id", "message.", "the message id");
        Long ts = Fields.timestamp(m, "date", "message.");
        Map<String, Object> meta = new HashMap<>();
        if (from.hasNonNull("username")) {
            meta.put("username", from.get("username").asText());
        }
        if (from.hasNonNull("first_name")) {
            meta.put("name", from.get("first_name").asText());
        }
        if (m.has("text")) {
            return one(OriginalFormat.build(ctx, conv, id, MessageType.TEXT, Fields.text(m, "text", "message."), ts,
                    List.of(), meta, "message."));
        }
        String caption = m.path("caption").asText("");
        if (m.has("photo")) {
            JsonNode sizes = m.get("photo");
            JsonNode largest = sizes.isArray() && !sizes.isEmpty() ? sizes.get(sizes.size() - 1) : null;
            if (largest == null) {
                throw new BadRequest("field 'message.photo' must be a non-empty array of sizes");
            }
            return media(ctx, conv, id, ts, meta, MessageType.IMAGE, largest, "image/jpeg", caption);
        }
        String[][] kinds = {{"voice", "voice"}, {"audio", "audio"}, {"video", "video"}, {"video_note", "video"},
                {"document", "document"}, {"animation", "video"}, {"sticker", "sticker"}};
        for (String[] k : kinds) {
            if (m.has(k[0])) {
                JsonNode x = m.get(k[0]);
                String text = k[0].equals("sticker") && caption.isEmpty() ? x.path("emoji").asText("") : caption;
                return media(ctx, conv, id, ts, meta, MessageType.fromWire(k[1]), x, x.path("mime_type").asText(null),
                        text);
            }
        }
        if (m.has("location")) {
            JsonNode l = m.get("location");
            return one(OriginalFormat.build(ctx, conv, id, MessageType.LOCATION, "", ts, List.of(new Attachment(
                    "location", null, null, "", "geo:" + l.path("latitude").asText() + "," + l.path("longitude").asText())),
                    meta, "message."));
        }
        if (m.has("contact")) {
            JsonNode c = m.get("contact");
            return one(OriginalFormat.build(ctx, conv, id, MessageType.CONTACT, "", ts, List.of(new Attachment("contact",
                    null, "text/vcard", (c.path("first_name").asText("") + " " + c.path("phone_number").asText("")).trim(),
                    null)), meta, "message."));
        }
        return new Inbound("telegram", List.of(), List.of("message without text or supported media (service message)"));
    }

    private static Inbound media(InboundContext ctx, String conv, String id, Long ts, Map<String, Object> meta,
                                 MessageType type, JsonNode x, String mime, String caption) {
        String fileId = x.path("file_id").asText(null);
        return one(OriginalFormat.build(ctx, conv, id, type, caption, ts,
                List.of(new Attachment(type.wire(), fileId, mime, caption, null)), meta, "message."));
    }

    private static Inbound one(Message m) {
        return new Inbound("telegram", List.of(m), List.of());
    }
}
