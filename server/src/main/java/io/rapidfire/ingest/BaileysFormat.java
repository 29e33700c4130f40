package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Baileys' {@code messages.upsert} event, as bridges forward it: {@code {"event": "messages.upsert", "data":
 * {"messages": [...], "type": "notify"}}} or the bare {@code {"messages": [...], "type": "notify"}}. Each item has
 * {@code key {remoteJid, fromMe, id, participant}}, {@code message} (one of conversation, extendedTextMessage,
 * imageMessage, videoMessage, audioMessage, documentMessage, stickerMessage, locationMessage, contactMessage),
 * {@code messageTimestamp} and {@code pushName}. Upserts of type "append" (history sync) are not new messages.
 * Evolution API sends the same event with one message as {@code data} ({@code {"event": "messages.upsert",
 * "instance": ..., "data": {"key": ..., "message": ..., "pushName": ...}}}).
 */
final class BaileysFormat {
    private BaileysFormat() {
    }

    static boolean matches(JsonNode b) {
        // Evolution API v1 names its events MESSAGES_UPSERT, v2 messages.upsert; messages.edited carries the same item.
        String event = eventName(b);
        if (event.equals("messages.upsert") || event.equals("messages.edited")) {
            return true;
        }
        JsonNode ms = b.get("messages");
        return ms != null && ms.isArray() && !ms.isEmpty() && ms.get(0).has("key");
    }

    static String eventName(JsonNode b) {
        return b.path("event").asText().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        JsonNode data = b.has("data") ? Fields.object(b.get("data"), "data", "{\"messages\": [...], \"type\": \"notify\"}") : b;
        boolean evolution = b.has("data") && data.has("key") && !data.has("messages");
        // Evolution API posts one message per event: data is the message itself.
        JsonNode arr = evolution ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(data)
                : Fields.array(data, "messages", b.has("data") ? "data." : "");
        if (arr == null || arr.isEmpty()) {
            throw new BadRequest("field 'messages' of the messages.upsert event must be a non-empty array");
        }
        OriginalFormat.checkCount(arr.size());
        List<Message> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<Inbound.Link> links = new ArrayList<>();
        List<Inbound.Business> business = new ArrayList<>();
        if ("append".equals(data.path("type").asText())) {
            return new Inbound("baileys", out, List.of("upsert of type append (history sync) holds no new messages"));
        }
        for (int i = 0; i < arr.size(); i++) {
            String at = "messages[" + i + "].";
            JsonNode item = Fields.object(arr.get(i), "messages[" + i + "]", "{\"key\": {...}, \"message\": {...}}");
            JsonNode key = Fields.object(item.get("key"), at + "key", "{\"remoteJid\": \"…@s.whatsapp.net\", \"id\": …}");
            if (Fields.bool(key, "fromMe") && !ctx.acceptFromMe()) {
                ignored.add("sent by the business itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)");
                Inbound.Business sent = ctx.business(key.path("remoteJid").asText(null), null, null, at + "key.remoteJid");
                if (sent != null) {
                    business.add(sent);
                }
                continue;
            }
            String jid = Fields.requiredText(key, "remoteJid", at + "key.", "the chat, e.g. \"79001234567@s.whatsapp.net\"");
            // The same chat's other id, where the bridge gives it: Baileys 6.7+ remoteJidAlt, Evolution senderPn.
            // A group's participant likewise: participantAlt (Baileys), participantPn (Evolution).
            String alt = Fields.text(key, "remoteJidAlt", at + "key.");
            String participantAlt = Fields.text(key, "participantAlt", at + "key.");
            SenderIdentity.Sender s = ctx.identity().whatsapp(jid, alt != null ? alt : Fields.text(key, "senderPn",
                    at + "key."), Fields.text(key, "participant", at + "key."), participantAlt != null ? participantAlt
                    : Fields.text(key, "participantPn", at + "key."), at + "key.remoteJid");
            if (s.ignored() != null) {
                ignored.add(s.ignored());
                continue;
            }
            if (s.lid() != null) {
                links.add(new Inbound.Link(new io.rapidfire.core.ConversationRef(ctx.tenant(), ctx.channel(), s.id()), s.lid()));
            }
            JsonNode raw = item.get("message");
            JsonNode msg = unwrap(raw);
            if (msg == null || !msg.isObject() || msg.isEmpty()) {
                // An empty body too: it names no kind to report (it used to end in a 500).
                ignored.add("item without a message body (a stub or protocol event)");
                continue;
            }
            String id = Fields.text(key, "id", at + "key.");
            Long ts = Fields.timestamp(item, "messageTimestamp", at);
            Map<String, Object> meta = s.lidMetadata(item.hasNonNull("pushName") ? Map.of("name",
                    item.get("pushName").asText()) : Map.of());
            JsonNode proto = protocol(msg);
            if (proto != null) {
                Message change = change(proto, id, ctx, s.id(), ts, at, meta);
                if (change == null) {
                    ignored.add("a protocol message of type " + Answers.clip(proto.path("type").asText("?"))
                            + " (history sync, settings, or an edit of a kind not batched): not a person's message");
                } else {
                    out.add(change);
                }
                continue;
            }
            String album = album(raw, msg);
            if (album != null) {
                meta = new java.util.HashMap<>(meta);
                meta.put(io.rapidfire.core.ReleaseRules.ALBUM, album);
            }
            Message m = content(msg, id, ctx, s.id(), ts, at, meta);
            if (m == null) {
                ignored.add(notAMessage(msg));
            } else {
                out.add(m);
            }
        }
        return new Inbound(evolution ? "evolution" : "baileys", out, ignored, List.of(), List.copyOf(links),
                List.copyOf(business));
    }

    /**
     * Baileys wraps some messages in another: disappearing ({@code ephemeralMessage}), view once
     * ({@code viewOnceMessage}, {@code viewOnceMessageV2}, {@code viewOnceMessageV2Extension}), a document with its
     * caption ({@code documentWithCaptionMessage}). The person's message is the one inside.
     */
    private static final String[] WRAPPERS = {"ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2",
            "viewOnceMessageV2Extension", "documentWithCaptionMessage", "associatedChildMessage"};

    /**
     * The album a photo or video belongs to: WhatsApp sends an album as an {@code albumMessage} (the announcement,
     * ignored) and then each item as its own message, wrapped in {@code associatedChildMessage}, whose
     * {@code messageContextInfo.messageAssociation.parentMessageKey} names the announcement. Null when it is none.
     */
    static String album(JsonNode raw, JsonNode unwrapped) {
        for (JsonNode n : new JsonNode[]{raw, unwrapped, raw == null ? null : raw.path("associatedChildMessage")
                .path("message")}) {
            if (n == null) {
                continue;
            }
            JsonNode a = n.path("messageContextInfo").path("messageAssociation");
            String id = a.path("parentMessageKey").path("id").asText("");
            if (!id.isEmpty()) {
                return id;
            }
        }
        return null;
    }

    static JsonNode unwrap(JsonNode msg) {
        for (int depth = 0; msg != null && depth < 4; depth++) {
            JsonNode inner = null;
            for (String w : WRAPPERS) {
                if (msg.path(w).path("message").isObject()) {
                    inner = msg.get(w).get("message");
                    break;
                }
            }
            if (inner == null) {
                return msg;
            }
            msg = inner;
        }
        return msg;
    }

    /**
     * The protocol message of an edit or a deletion: {@code protocolMessage} itself, or (Evolution, an edit made on
     * the phone) inside {@code editedMessage.message}.
     */
    private static JsonNode protocol(JsonNode msg) {
        JsonNode p = msg.get("protocolMessage");
        if (p == null) {
            p = msg.path("editedMessage").path("message").get("protocolMessage");
        }
        return p != null && p.isObject() ? p : null;
    }

    /**
     * A protocol message as an edit ({@code type} MESSAGE_EDIT or 14: {@code editedMessage} is the new version of
     * {@code key.id}) or a deletion (REVOKE or 0: {@code key.id} was deleted); null for the other protocol types
     * (history sync, settings, key shares: not a person's message).
     */
    private static Message change(JsonNode proto, String id, InboundContext ctx, String conv, Long ts, String at,
                                  Map<String, Object> meta) {
        String type = proto.path("type").asText("");
        String original = proto.path("key").path("id").asText(null);
        String pat = at + "message.protocolMessage.";
        if (type.equals("REVOKE") || type.equals("0")) {
            return Changes.deletion(ctx, conv, id, original, ts, meta, pat + "key.id");
        }
        if (!type.equals("MESSAGE_EDIT") && !type.equals("14")) {
            return null;
        }
        JsonNode edited = proto.get("editedMessage");
        if (edited == null || !edited.isObject() || original == null) {
            throw new BadRequest("field '" + pat.substring(0, pat.length() - 1) + "' is an edit (MESSAGE_EDIT) without key.id and editedMessage "
                    + "(the new version): {\"type\": \"MESSAGE_EDIT\", \"key\": {\"id\": \"…\"}, \"editedMessage\": "
                    + "{\"conversation\": \"…\"}}");
        }
        Message parsed = content(unwrap(edited), id, ctx, conv, ts, pat, meta);
        if (parsed == null) {
            return null; // an edit to a kind of message not batched: acknowledged like that kind
        }
        return Changes.edit(parsed, original, id == null || id.equals(original) ? "edit:" + original + (ts == null ? ""
                : ":" + ts) : id);
    }

    /**
     * The media's size in metadata.mediaBytes: Baileys' fileLength, else the size of the inline base64 Evolution sent
     * (BridgeBody leaves it as base64Bytes when it took a large one out; a small one is measured here). The bytes
     * themselves are never stored.
     */
    private static Map<String, Object> withSize(Map<String, Object> meta, JsonNode msg, JsonNode media) {
        long size = media.path("fileLength").canConvertToLong() || media.path("fileLength").isTextual()
                ? media.path("fileLength").asLong(-1) : -1;
        if (size < 0) {
            size = BridgeBody.inlineSize(msg, "base64");
        }
        if (size < 0) {
            return meta;
        }
        Map<String, Object> m = new java.util.HashMap<>(meta);
        m.put("mediaBytes", size);
        return m;
    }

    /** Why a message body that is not a person's message is ignored, naming its kind. */
    private static String notAMessage(JsonNode msg) {
        if (msg.has("reactionMessage")) {
            return "a reaction (reactionMessage), not a message";
        }
        if (msg.has("albumMessage")) {
            return "an album's announcement (albumMessage): its photos come as messages of their own";
        }
        if (msg.has("pollUpdateMessage")) {
            return "a poll vote (pollUpdateMessage, encrypted by WhatsApp): not readable here";
        }
        StringBuilder kinds = new StringBuilder();
        msg.fieldNames().forEachRemaining(f -> {
            if (!f.equals("messageContextInfo")) {
                kinds.append(kinds.length() == 0 ? "" : ", ").append(Answers.clip(f));
            }
        });
        return "unsupported message kind " + (kinds.length() == 0 ? "(none)" : kinds);
    }

    /**
     * A reply by button or list: the person's answer. Text: what they saw and tapped (the button's or row's title);
     * the id the business gave it in {@code metadata.buttonId}.
     */
    private static Message reply(JsonNode msg, String id, InboundContext ctx, String conv, Long ts, String at,
                                 Map<String, Object> meta) {
        String text;
        String choice;
        if (msg.has("buttonsResponseMessage")) {
            JsonNode r = msg.get("buttonsResponseMessage");
            choice = r.path("selectedButtonId").asText(null);
            text = r.path("selectedDisplayText").asText(choice == null ? "" : choice);
        } else if (msg.has("templateButtonReplyMessage")) {
            JsonNode r = msg.get("templateButtonReplyMessage");
            choice = r.path("selectedId").asText(null);
            text = r.path("selectedDisplayText").asText(choice == null ? "" : choice);
        } else if (msg.has("listResponseMessage")) {
            JsonNode r = msg.get("listResponseMessage");
            choice = r.path("singleSelectReply").path("selectedRowId").asText(null);
            text = r.path("title").asText(choice == null ? "" : choice);
        } else if (msg.has("interactiveResponseMessage")) {
            JsonNode r = msg.get("interactiveResponseMessage");
            choice = r.path("nativeFlowResponseMessage").path("paramsJson").asText(null);
            text = r.path("body").path("text").asText("");
        } else {
            return null;
        }
        Map<String, Object> m = new java.util.HashMap<>(meta);
        if (choice != null) {
            m.put("buttonId", choice);
        }
        return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, text, ts, List.of(), m, at);
    }

    private static Message content(JsonNode msg, String id, InboundContext ctx, String conv, Long ts, String at,
                                   Map<String, Object> meta) {
        Message answer = reply(msg, id, ctx, conv, ts, at, meta);
        if (answer != null) {
            return answer;
        }
        if (msg.has("conversation")) {
            return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, msg.get("conversation").asText(), ts,
                    List.of(), meta, at);
        }
        if (msg.has("extendedTextMessage")) {
            return OriginalFormat.build(ctx, conv, id, MessageType.TEXT,
                    msg.get("extendedTextMessage").path("text").asText(""), ts, List.of(), meta, at);
        }
        String[][] media = {{"imageMessage", "image"}, {"videoMessage", "video"}, {"audioMessage", "audio"},
                {"documentMessage", "document"}, {"stickerMessage", "sticker"}};
        for (String[] kind : media) {
            JsonNode x = msg.get(kind[0]);
            if (x != null) {
                MessageType type = kind[1].equals("audio") && x.path("ptt").asBoolean(false) ? MessageType.VOICE
                        : MessageType.fromPlatform(kind[1]);
                String caption = x.path("caption").asText("");
                return OriginalFormat.build(ctx, conv, id, type, caption, ts, List.of(new Attachment(type.wire(), id,
                        x.path("mimetype").asText(null), caption, x.path("url").asText(null))), withSize(meta, msg, x), at);
            }
        }
        if (msg.has("locationMessage")) {
            JsonNode x = msg.get("locationMessage");
            String name = x.path("name").asText(x.path("address").asText(""));
            return OriginalFormat.build(ctx, conv, id, MessageType.LOCATION, name, ts, List.of(new Attachment("location",
                    id, null, name, "geo:" + x.path("degreesLatitude").asText() + "," + x.path("degreesLongitude").asText())),
                    meta, at);
        }
        if (msg.has("contactMessage")) {
            JsonNode x = msg.get("contactMessage");
            return OriginalFormat.build(ctx, conv, id, MessageType.CONTACT, "", ts, List.of(new Attachment("contact", id,
                    "text/vcard", x.path("displayName").asText(""), null)), meta, at);
        }
        return null;
    }
}
