package io.rapidfire.ingest;

import io.rapidfire.http.Answers;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Z-API's webhooks, on {@code POST /webhook/z-api} (developer.z-api.io, "on-message-received" and "on presence"):
 * {@code {"type": "ReceivedCallback", "phone": "5544999999999", "fromMe": false, "messageId": "…", "momment":
 * <ms>, "senderName": "…", "text": {"message": "Hi"}}} with {@code image}, {@code audio}, {@code video},
 * {@code document}, {@code sticker}, {@code location}, {@code contact}, {@code buttonsResponseMessage} or
 * {@code listResponseMessage} in place of {@code text}; a group's {@code phone} ends in {@code -group}, its sender
 * in {@code participantPhone}. {@code PresenceChatCallback} ({@code status} COMPOSING, RECORDING, PAUSED,
 * AVAILABLE, UNAVAILABLE) is typing. Every other callback (MessageStatusCallback, DeliveryCallback,
 * ConnectedCallback, DisconnectedCallback, …) is acknowledged naming it; reactions and poll votes are ignored naming
 * them.
 */
final class ZapiFormat {
    static final String SHAPE = "{\"type\": \"ReceivedCallback\", \"phone\": \"5544999999999\", \"messageId\": \"3EB0…\", "
            + "\"fromMe\": false, \"momment\": 1764320000000, \"text\": {\"message\": \"Hi\"}}";
    private static final String[][] MEDIA = {{"image", "imageUrl", "image"}, {"video", "videoUrl", "video"},
            {"document", "documentUrl", "document"}, {"sticker", "stickerUrl", "sticker"}, {"audio", "audioUrl", "audio"}};

    private ZapiFormat() {
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        Fields.object(b, "", SHAPE);
        String type = Fields.requiredText(b, "type", "", "the Z-API callback, e.g. \"ReceivedCallback\"");
        return switch (type) {
            case "ReceivedCallback" -> received(b, ctx);
            case "PresenceChatCallback" -> presence(b, ctx);
            default -> ignored("callback " + Answers.clip(type) + " is not a person's message (acknowledged, not batched)");
        };
    }

    private static Inbound received(JsonNode b, InboundContext ctx) {
        if (Fields.bool(b, "fromMe") && !ctx.acceptFromMe()) {
            // Z-API's fromApi: true when sent through its API (the bot), false from the phone (a person).
            return Inbound.business("zapi", "sent by the business itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)",
                    b.path("isGroup").asBoolean(false) ? null : ctx.business(b.path("phone").asText(null),
                            b.path("text").path("message").asText(""), InboundContext.flag(b, "fromApi"), "phone"));
        }
        if (b.has("reaction")) {
            return ignored("a reaction, not a message");
        }
        if (b.has("pollVote")) {
            return ignored("a poll vote: not batched yet");
        }
        if (b.has("notification")) {
            return ignored("a group notification (" + Answers.clip(b.path("notification").asText()) + "), not a message");
        }
        SenderIdentity.Sender s = sender(b, ctx);
        if (s.ignored() != null) {
            return ignored(s.ignored());
        }
        String id = Fields.requiredText(b, "messageId", "", "the message id");
        Long ts = Fields.timestamp(b, "momment", "");
        Map<String, Object> meta = new HashMap<>();
        String name = b.path("senderName").asText(b.path("chatName").asText(null));
        if (name != null) {
            meta.put("name", name);
        }
        if (b.path("text").has("message")) {
            return one(OriginalFormat.build(ctx, s.id(), id, MessageType.TEXT, b.get("text").get("message").asText(), ts,
                    List.of(), meta, "text."));
        }
        for (String[] kind : MEDIA) {
            JsonNode x = b.get(kind[0]);
            if (x != null && x.isObject()) {
                MessageType t = kind[2].equals("audio") && x.path("ptt").asBoolean(false) ? MessageType.VOICE
                        : MessageType.fromPlatform(kind[2]);
                String caption = x.path("caption").asText("");
                return one(OriginalFormat.build(ctx, s.id(), id, t, caption, ts, List.of(new Attachment(t.wire(), id,
                        x.path("mimeType").asText(null), caption, x.path(kind[1]).asText(null))), meta, kind[0] + "."));
            }
        }
        if (b.path("location").isObject()) {
            JsonNode l = b.get("location");
            String place = l.path("name").asText(l.path("address").asText(""));
            return one(OriginalFormat.build(ctx, s.id(), id, MessageType.LOCATION, place, ts, List.of(new Attachment(
                    "location", id, null, place, "geo:" + l.path("latitude").asText() + "," + l.path("longitude").asText())),
                    meta, "location."));
        }
        if (b.path("contact").isObject()) {
            return one(OriginalFormat.build(ctx, s.id(), id, MessageType.CONTACT, "", ts, List.of(new Attachment("contact",
                    id, "text/vcard", b.get("contact").path("displayName").asText(""), null)), meta, "contact."));
        }
        JsonNode reply = b.has("buttonsResponseMessage") ? b.get("buttonsResponseMessage") : b.get("listResponseMessage");
        if (reply != null && reply.isObject()) {
            String choice = reply.path("buttonId").asText(reply.path("selectedRowId").asText(null));
            String text = reply.path("message").asText(reply.path("title").asText(choice == null ? "" : choice));
            if (choice != null) {
                meta.put("buttonId", choice);
            }
            return one(OriginalFormat.build(ctx, s.id(), id, MessageType.TEXT, text, ts, List.of(), meta, ""));
        }
        return ignored("ReceivedCallback without text or a supported kind of content");
    }

    /** {@code phone} (a person's number, or a group's id ending in "-group" with {@code participantPhone}). */
    private static SenderIdentity.Sender sender(JsonNode b, InboundContext ctx) {
        String phone = Fields.requiredText(b, "phone", "", "the chat: the person's number, or the group's id");
        if (phone.endsWith("-group") || Fields.bool(b, "isGroup")) {
            String participant = Fields.text(b, "participantPhone", "");
            return ctx.identity().whatsapp(phone.replace("-group", "") + "@g.us",
                    participant == null ? null : participant + "@c.us", "phone");
        }
        return ctx.identity().whatsapp(phone.contains("@") ? phone : phone + "@c.us", null, "phone");
    }

    private static Inbound presence(JsonNode b, InboundContext ctx) {
        String phone = Fields.requiredText(b, "phone", "", "the chat whose person is typing");
        String status = Fields.requiredText(b, "status", "", "COMPOSING, RECORDING, PAUSED, AVAILABLE or UNAVAILABLE");
        List<Inbound.Presence> out = new java.util.ArrayList<>();
        List<String> ignored = new java.util.ArrayList<>();
        PresenceFormat.add(out, ignored, ctx, phone.contains("@") ? phone : phone + "@c.us", null, status, "phone");
        return new Inbound("z-api-presence", List.of(), ignored, out);
    }

    private static Inbound one(Message m) {
        return new Inbound("z-api", List.of(m), List.of());
    }

    private static Inbound ignored(String why) {
        return new Inbound("z-api", List.of(), List.of(why));
    }
}
