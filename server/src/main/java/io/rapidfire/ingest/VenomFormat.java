package io.rapidfire.ingest;

import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WhatsApp Web bridges built on wa-js: a Venom-bot or WPPConnect message object, posted as is or wrapped by
 * WPPConnect-server's webhook ({@code {"event": "onmessage", "session": ..., ...message}}). For media
 * messages {@code body} holds a base64 thumbnail, so the text is the caption and the message id is the media
 * id the bridge can download by.
 */
final class VenomFormat {
    private VenomFormat() {
    }

    static boolean matches(JsonNode b) {
        if (b.has("event") && (b.get("event").asText().toLowerCase().startsWith("on")
                || b.get("event").asText().equalsIgnoreCase("unreadmessages"))) {
            return true;
        }
        return b.has("from") && (b.has("isGroupMsg") || b.has("notifyName") || b.has("chatId") || b.has("t"));
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        List<String> ignored = new ArrayList<>();
        String event = Fields.text(b, "event", "");
        if (event != null && event.equalsIgnoreCase("onrevokedmessage")) {
            return revoked(b, ctx);
        }
        if (event != null && event.equalsIgnoreCase("onpollresponse")) {
            return pollResponse(b, ctx);
        }
        // unreadmessages: what arrived while the bridge was offline, one message per request at its start
        // (WPPConnect server's allUnreadOnStart); ordered in its batch by its own time t, like any message.
        if (event != null && !event.equalsIgnoreCase("onmessage") && !event.equalsIgnoreCase("onanymessage")
                && !event.equalsIgnoreCase("unreadmessages")) {
            return new Inbound("wppconnect", List.of(), List.of("event " + event + " carries no new message"));
        }
        String format = event != null ? "wppconnect" : "venom";
        if (Fields.bool(b, "fromMe") && !ctx.acceptFromMe()) {
            return Inbound.business(format, "sent by the business itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)",
                    ctx.business(b.path("to").asText(null), b.path("body").asText(""), null, "to"));
        }
        String from = Fields.requiredText(b, "from", "", "the chat id, e.g. \"79001234567@c.us\"");
        String participant = Fields.text(b, "author", "");
        if (participant == null && b.path("sender").has("id")) {
            participant = idText(b.path("sender").get("id"));
        }
        SenderIdentity.Sender s = ctx.identity().whatsapp(from, participant, "from");
        if (s.ignored() != null) {
            return new Inbound(format, List.of(), List.of(s.ignored()));
        }
        String id = b.has("id") ? idText(b.get("id")) : null;
        String rawType = b.path("type").asText("chat");
        if (SYSTEM_TYPES.contains(rawType)) {
            return new Inbound(format, List.of(), List.of("a system notice (type " + rawType + "), not a person's message"));
        }
        if (REPLY_TYPES.contains(rawType)) {
            return new Inbound(format, List.of(reply(b, rawType, ctx, s.id(), id)), ignored);
        }
        MessageType type = switch (rawType) {
            case "chat" -> MessageType.TEXT;
            case "ptt" -> MessageType.VOICE;
            case "vcard", "multi_vcard" -> MessageType.CONTACT;
            default -> MessageType.fromPlatform(rawType);
        };
        String text;
        List<Attachment> attachments = new ArrayList<>();
        if (type == MessageType.TEXT) {
            String body = Fields.text(b, "body", "");
            if (body == null) {
                throw new BadRequest("field 'body' is missing: the text of a \"chat\" message");
            }
            text = body;
        } else if (type == MessageType.LOCATION) {
            String caption = firstNonNull(Fields.text(b, "loc", ""), Fields.text(b, "comment", ""), "");
            text = caption;
            attachments.add(new Attachment("location", id, null, caption,
                    "geo:" + b.path("lat").asText() + "," + b.path("lng").asText()));
        } else if (type == MessageType.CONTACT) {
            String name = firstNonNull(Fields.text(b, "vcardFormattedName", ""), "", "");
            text = "";
            attachments.add(new Attachment("contact", id, "text/vcard", name, null));
        } else {
            String caption = firstNonNull(Fields.text(b, "caption", ""), "", "");
            text = caption;
            attachments.add(new Attachment(type.wire(), id, Fields.text(b, "mimetype", ""), caption,
                    Fields.text(b, "deprecatedMms3Url", "")));
        }
        Map<String, Object> meta = new java.util.HashMap<>();
        if (b.hasNonNull("notifyName")) {
            meta.put("name", b.get("notifyName").asText());
        }
        long size = mediaSize(b, type);
        if (size >= 0) {
            meta.put("mediaBytes", size);
        }
        Message m = OriginalFormat.build(ctx, s.id(), id, type, text, Fields.timestamp(b, "t", ""), attachments, meta, "");
        return new Inbound(format, List.of(m), ignored);
    }

    /**
     * A media message's size: WPPConnect server's autoDownload puts the media, base64, in {@code body} (BridgeBody
     * leaves its size as bodyBytes when it took a large one out); -1 when unknown. The bytes are never stored.
     */
    private static long mediaSize(JsonNode b, MessageType type) {
        if (type == MessageType.TEXT || type == MessageType.LOCATION || type == MessageType.CONTACT) {
            return -1;
        }
        if (b.path("size").canConvertToLong()) {
            return b.get("size").asLong();
        }
        return BridgeBody.inlineSize(b, "body");
    }

    /** wa-js message types that are WhatsApp's own notices, never a person's words: never a batch. */
    private static final java.util.Set<String> SYSTEM_TYPES = java.util.Set.of("e2e_notification", "notification",
            "notification_template", "ciphertext", "call_log", "revoked", "gp2", "protocol", "broadcast_notification");
    private static final java.util.Set<String> REPLY_TYPES = java.util.Set.of("buttons_response", "list_response",
            "template_button_reply");

    /** A reply by button or list: the text is what the person tapped, its id in {@code metadata.buttonId}. */
    private static Message reply(JsonNode b, String rawType, InboundContext ctx, String conv, String id) {
        String choice = switch (rawType) {
            case "buttons_response" -> b.path("selectedButtonId").asText(null);
            case "list_response" -> b.path("listResponse").path("singleSelectReply").path("selectedRowId").asText(null);
            default -> b.path("selectedId").asText(null);
        };
        String text = b.path("body").asText("");
        if (text.isEmpty()) {
            text = rawType.equals("list_response") ? b.path("listResponse").path("title").asText("") : "";
        }
        if (text.isEmpty() && choice != null) {
            text = choice;
        }
        Map<String, Object> meta = new java.util.HashMap<>();
        if (b.hasNonNull("notifyName")) {
            meta.put("name", b.get("notifyName").asText());
        }
        if (choice != null) {
            meta.put("buttonId", choice);
        }
        return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, text, Fields.timestamp(b, "t", ""), List.of(), meta, "");
    }

    /**
     * {@code onrevokedmessage} (wa-js chat.msg_revoke): {@code refId} was deleted in the chat {@code from}; {@code id}
     * is the deletion's own. A deletion (core/Edits).
     */
    private static Inbound revoked(JsonNode b, InboundContext ctx) {
        String from = idText(b.get("from"));
        String original = idText(b.get("refId"));
        if (from == null || original == null) {
            throw new BadRequest("an onrevokedmessage event needs 'from' (the chat) and 'refId' (the deleted message)");
        }
        SenderIdentity.Sender s = ctx.identity().whatsapp(from, idText(b.get("author")), "from");
        if (s.ignored() != null) {
            return new Inbound("wppconnect", List.of(), List.of(s.ignored()));
        }
        return new Inbound("wppconnect", List.of(Changes.deletion(ctx, s.id(), idText(b.get("id")), original, null,
                Map.of(), "refId")), List.of());
    }

    /**
     * {@code onpollresponse} (wa-js chat.poll_response): the person's vote in a poll the business sent. wa-js gives
     * the chosen options as their local ids (or objects with a name): the text names them, the ids go to
     * metadata.pollOptions, the poll's message id to metadata.pollId. An empty choice (a vote taken back) is ignored.
     */
    private static Inbound pollResponse(JsonNode b, InboundContext ctx) {
        String chat = idText(b.get("chatId"));
        String poll = idText(b.get("msgId"));
        JsonNode options = b.path("selectedOptions");
        if (chat == null || poll == null || !options.isArray()) {
            throw new BadRequest("an onpollresponse event needs 'chatId', 'msgId' (the poll) and 'selectedOptions' (an array)");
        }
        if (options.isEmpty()) {
            return new Inbound("wppconnect", List.of(), List.of("a poll vote taken back (no option selected)"));
        }
        SenderIdentity.Sender s = ctx.identity().whatsapp(chat, idText(b.get("sender")), "chatId");
        if (s.ignored() != null) {
            return new Inbound("wppconnect", List.of(), List.of(s.ignored()));
        }
        List<String> names = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (JsonNode o : options) {
            names.add(o.isObject() ? o.path("name").asText(o.path("localId").asText("?")) : "option " + o.asText());
            ids.add(o.isObject() ? o.path("localId").asText(null) : o.asText());
        }
        Long ts = Fields.timestamp(b, "timestamp", "");
        return new Inbound("wppconnect", List.of(Polls.answer(ctx, s.id(), "poll:" + poll + ":" + ts + ":" + ids, poll,
                names, ids, ts, "selectedOptions")), List.of());
    }

    /** wa-js ids are strings, or objects like {"_serialized": "false_7900…@c.us_3EB0…"}. */
    static String idText(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.isObject()) {
            return id.path("_serialized").asText(null);
        }
        return id.asText();
    }

    static String firstNonNull(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
