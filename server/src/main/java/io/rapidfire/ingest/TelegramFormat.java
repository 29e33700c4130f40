package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Telegram Bot API update ({@code {"update_id": …, "message": {...}}}). A private chat is the conversation
 * {@code tg:<chat id>}; a group, when accepted, one per member: {@code tg:<chat id>/<user id>}. A person's messages to a
 * business account ({@code business_message}) and inline button presses ({@code callback_query}) are batched too;
 * every other kind of update is acknowledged (200) with its kind named; messages from bots are ignored like fromMe.
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
        if (b.hasNonNull("message")) {
            return message(b.get("message"), "message.", ctx, acceptGroups, Map.of());
        }
        if (b.hasNonNull("business_message")) {
            // A person writing to a business account the bot manages: their message, like any other.
            JsonNode m = b.get("business_message");
            return message(m, "business_message.", ctx, acceptGroups, m.hasNonNull("business_connection_id")
                    ? Map.of("businessConnectionId", m.get("business_connection_id").asText()) : Map.of());
        }
        for (String kind : new String[]{"edited_message", "edited_business_message"}) {
            if (b.hasNonNull(kind)) {
                return edited(b.get(kind), kind + ".", ctx, acceptGroups, b.get("update_id").asText());
            }
        }
        if (b.hasNonNull("deleted_business_messages")) {
            return deleted(Fields.object(b.get("deleted_business_messages"), "deleted_business_messages", SHAPE), ctx);
        }
        if (b.hasNonNull("poll_answer")) {
            return pollAnswer(Fields.object(b.get("poll_answer"), "poll_answer", SHAPE), ctx, b.get("update_id").asText());
        }
        if (b.hasNonNull("callback_query")) {
            return buttonPress(Fields.object(b.get("callback_query"), "callback_query", SHAPE), ctx, acceptGroups);
        }
        // Every other kind of update (edits, reactions, polls, payments, membership, inline queries, kinds added to
        // the Bot API later) is acknowledged with its kind named: Telegram stops retrying, nothing is batched.
        List<String> kinds = new ArrayList<>();
        b.fieldNames().forEachRemaining(f -> {
            if (!f.equals("update_id")) {
                kinds.add(Answers.clip(f));
            }
        });
        return new Inbound("telegram", List.of(), List.of((kinds.isEmpty() ? "an empty" : String.join(", ", kinds))
                + " update: not a person's new message (acknowledged, not batched)"));
    }

    /**
     * An edit: Telegram repeats the message (same message_id) with its new text and {@code edit_date}. It becomes an
     * edit of that message (core/Edits), id "edit:&lt;message_id&gt;:&lt;edit_date&gt;" so that each edit is stored once.
     */
    private static Inbound edited(JsonNode m, String at, InboundContext ctx, boolean acceptGroups, String updateId) {
        Inbound parsed = message(m, at, ctx, acceptGroups, Map.of());
        if (parsed.messages().isEmpty()) {
            return parsed;
        }
        Message original = parsed.messages().get(0);
        // Each edit once: by its edit_date, else by the update's id (Telegram's retries repeat it).
        String editId = "edit:" + original.id() + ":" + m.path("edit_date").asText("u" + updateId);
        return one(Changes.edit(original, original.id(), editId));
    }

    /**
     * A person deleted messages in a business chat ({@code deleted_business_messages}: chat and message_ids): each
     * a deletion (core/Edits). A private chat's id is the person's, so the conversation is {@code tg:<chat id>}.
     */
    private static Inbound deleted(JsonNode d, InboundContext ctx) {
        JsonNode chat = Fields.object(d.get("chat"), "deleted_business_messages.chat", SHAPE);
        String chatId = Fields.requiredText(chat, "id", "deleted_business_messages.chat.", "the chat id");
        JsonNode ids = Fields.array(d, "message_ids", "deleted_business_messages.");
        if (ids == null || ids.isEmpty()) {
            throw new BadRequest("field 'deleted_business_messages.message_ids' must be a non-empty array of message ids");
        }
        OriginalFormat.checkCount(ids.size());
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            out.add(Changes.deletion(ctx, "tg:" + chatId, null, ids.get(i).asText(), null, Map.of(),
                    "deleted_business_messages.message_ids[" + i + "]"));
        }
        return new Inbound("telegram", out, List.of());
    }

    /**
     * A vote in a non-anonymous poll the bot sent ({@code poll_answer}: poll_id, user, option_ids). Telegram gives the
     * options' indexes only (the bot knows its poll): the text says which ("option 1, option 3", counted from 1), the
     * indexes go to metadata.pollOptions. A vote taken back (no options) is acknowledged, not batched; a vote cast
     * on behalf of a chat (voter_chat) has no person and is ignored.
     */
    private static Inbound pollAnswer(JsonNode a, InboundContext ctx, String updateId) {
        String poll = Fields.requiredText(a, "poll_id", "poll_answer.", "the poll's id");
        JsonNode options = Fields.array(a, "option_ids", "poll_answer.");
        if (options == null) {
            throw new BadRequest("field 'poll_answer.option_ids' is missing: the chosen options' indexes, e.g. [0, 2]");
        }
        if (!a.hasNonNull("user")) {
            return new Inbound("telegram", List.of(), List.of("a poll vote cast on behalf of a chat (voter_chat): no person"));
        }
        String user = Fields.requiredText(Fields.object(a.get("user"), "poll_answer.user", SHAPE), "id", "poll_answer.user.",
                "the voter's id");
        if (options.isEmpty()) {
            return new Inbound("telegram", List.of(), List.of("a poll vote taken back (option_ids is empty)"));
        }
        List<String> chosen = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (JsonNode o : options) {
            if (!o.canConvertToInt() || !o.isIntegralNumber()) {
                throw new BadRequest("field 'poll_answer.option_ids' must hold option indexes (numbers), got "
                        + Answers.clip(o.toString()));
            }
            chosen.add("option " + (o.asInt() + 1));
            ids.add(o.asInt());
        }
        // Each vote once, a changed vote a new one: the update's id names it (Telegram's retries repeat it).
        return one(Polls.answer(ctx, "tg:" + user, "poll:" + poll + ":" + user + ":u" + updateId, poll, chosen, ids,
                null, "poll_answer."));
    }

    /** A message or business message at {@code at} ("message." or "business_message."). */
    private static Inbound message(JsonNode m, String at, InboundContext ctx, boolean acceptGroups,
                                   Map<String, Object> extra) {
        String field = at.substring(0, at.length() - 1);
        Fields.object(m, field, SHAPE);
        JsonNode chat = Fields.object(m.get("chat"), at + "chat", SHAPE);
        String chatId = Fields.requiredText(chat, "id", at + "chat.", "the chat id");
        JsonNode from = m.path("from");
        if (from.path("is_bot").asBoolean(false) && !ctx.acceptFromMe()) {
            return new Inbound("telegram", List.of(), List.of("sent by a bot (RAPIDFIRE_ACCEPT_FROM_ME=false)"));
        }
        String conv = conversation(chat.path("type").asText("private"), chatId, from, acceptGroups, at);
        if (conv == null) {
            return new Inbound("telegram", List.of(), List.of(chat.path("type").asText() + " chat " + chatId
                    + " (RAPIDFIRE_ACCEPT_GROUPS=false)"));
        }
        String id = Fields.requiredText(m, "message_id", at, "the message id");
        Long ts = Fields.timestamp(m, "date", at);
        Map<String, Object> meta = sender(from);
        meta.putAll(extra);
        if (m.hasNonNull("media_group_id")) {
            // An album: its photos arrive as separate updates sharing this id; max messages never cuts them apart.
            meta.put(io.rapidfire.core.ReleaseRules.ALBUM, m.get("media_group_id").asText());
        }
        if (m.has("text")) {
            return one(OriginalFormat.build(ctx, conv, id, MessageType.TEXT, Fields.text(m, "text", at), ts,
                    List.of(), meta, at));
        }
        String caption = m.path("caption").asText("");
        if (m.has("photo")) {
            JsonNode sizes = m.get("photo");
            JsonNode largest = sizes.isArray() && !sizes.isEmpty() ? sizes.get(sizes.size() - 1) : null;
            if (largest == null) {
                throw new BadRequest("field '" + at + "photo' must be a non-empty array of sizes");
            }
            return media(ctx, conv, id, ts, meta, MessageType.IMAGE, largest, "image/jpeg", caption, at);
        }
        String[][] kinds = {{"voice", "voice"}, {"audio", "audio"}, {"video", "video"}, {"video_note", "video"},
                {"document", "document"}, {"animation", "video"}, {"sticker", "sticker"}};
        for (String[] k : kinds) {
            if (m.has(k[0])) {
                JsonNode x = m.get(k[0]);
                String text = k[0].equals("sticker") && caption.isEmpty() ? x.path("emoji").asText("") : caption;
                return media(ctx, conv, id, ts, meta, MessageType.fromPlatform(k[1]), x, x.path("mime_type").asText(null),
                        text, at);
            }
        }
        if (m.has("location")) {
            JsonNode l = m.get("location");
            return one(OriginalFormat.build(ctx, conv, id, MessageType.LOCATION, "", ts, List.of(new Attachment(
                    "location", null, null, "", "geo:" + l.path("latitude").asText() + "," + l.path("longitude").asText())),
                    meta, at));
        }
        if (m.has("contact")) {
            JsonNode c = m.get("contact");
            return one(OriginalFormat.build(ctx, conv, id, MessageType.CONTACT, "", ts, List.of(new Attachment("contact",
                    null, "text/vcard", (c.path("first_name").asText("") + " " + c.path("phone_number").asText("")).trim(),
                    null)), meta, at));
        }
        return new Inbound("telegram", List.of(), List.of("message without text or supported media (service message)"));
    }

    /**
     * A press of an inline keyboard button ({@code callback_query}): the person's answer, batched as a message whose
     * text is the button's label (found in the keyboard of the message it was pressed under; the callback data when
     * the label is not there) and whose {@code metadata.button} is the callback data. Its id is the query's, which
     * Telegram never reuses. A press carries no time of its own: it is ordered by arrival.
     */
    private static Inbound buttonPress(JsonNode q, InboundContext ctx, boolean acceptGroups) {
        JsonNode from = q.path("from");
        String userId = Fields.requiredText(Fields.object(q.get("from"), "callback_query.from", SHAPE), "id",
                "callback_query.from.", "the user who pressed the button");
        if (from.path("is_bot").asBoolean(false) && !ctx.acceptFromMe()) {
            return new Inbound("telegram", List.of(), List.of("pressed by a bot (RAPIDFIRE_ACCEPT_FROM_ME=false)"));
        }
        String data = q.path("data").isTextual() ? q.get("data").asText() : null;
        if (data == null) {
            return new Inbound("telegram", List.of(), List.of("callback_query without data (a game button): nothing "
                    + "the person wrote"));
        }
        JsonNode chat = q.path("message").path("chat");
        String chatId = chat.hasNonNull("id") ? chat.get("id").asText() : userId;
        String conv = conversation(chat.path("type").asText("private"), chatId, from, acceptGroups, "callback_query.");
        if (conv == null) {
            return new Inbound("telegram", List.of(), List.of(chat.path("type").asText() + " chat " + chatId
                    + " (RAPIDFIRE_ACCEPT_GROUPS=false)"));
        }
        String id = "callback:" + Fields.requiredText(q, "id", "callback_query.", "the callback query id");
        Map<String, Object> meta = sender(from);
        meta.put("button", data);
        return one(OriginalFormat.build(ctx, conv, id, MessageType.TEXT, label(q.path("message"), data), null,
                List.of(), meta, "callback_query."));
    }

    /** The label of the inline button whose callback data is {@code data}, else the data itself. */
    private static String label(JsonNode message, String data) {
        for (JsonNode row : message.path("reply_markup").path("inline_keyboard")) {
            for (JsonNode button : row) {
                if (data.equals(button.path("callback_data").asText(null)) && button.hasNonNull("text")) {
                    return button.get("text").asText();
                }
            }
        }
        return data;
    }

    /** "tg:<chat>" for a private chat, "tg:<chat>/<user>" for a group when groups are accepted, else null. */
    private static String conversation(String chatType, String chatId, JsonNode from, boolean acceptGroups, String at) {
        if (chatType.equals("private")) {
            return "tg:" + chatId;
        }
        if (!acceptGroups) {
            return null;
        }
        if (!from.has("id")) {
            throw new BadRequest("field '" + at + "from.id' is missing: a group message is one conversation per member");
        }
        return "tg:" + chatId + "/" + from.get("id").asText();
    }

    private static Map<String, Object> sender(JsonNode from) {
        Map<String, Object> meta = new HashMap<>();
        if (from.hasNonNull("username")) {
            meta.put("username", from.get("username").asText());
        }
        if (from.hasNonNull("first_name")) {
            meta.put("name", from.get("first_name").asText());
        }
        return meta;
    }

    private static Inbound media(InboundContext ctx, String conv, String id, Long ts, Map<String, Object> meta,
                                 MessageType type, JsonNode x, String mime, String caption, String at) {
        String fileId = x.path("file_id").asText(null);
        return one(OriginalFormat.build(ctx, conv, id, type, caption, ts,
                List.of(new Attachment(type.wire(), fileId, mime, caption, null)), meta, at));
    }

    private static Inbound one(Message m) {
        return new Inbound("telegram", List.of(m), List.of());
    }
}
