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
 * The WhatsApp Cloud API webhook: {@code {"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
 * "messages", "value": {"metadata": {...}, "contacts": [...], "messages": [...], "statuses": [...]}}]}]}}.
 * Status callbacks (sent, delivered, read) are accepted and ignored. {@code from} is the sender's wa_id
 * (international digits); {@code metadata.phone_number_id} (which of your numbers received it) goes into the
 * message metadata.
 */
final class CloudApiFormat {
    static final String SHAPE = "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"changes\": [{\"value\": "
            + "{\"messages\": [...]}}]}]}";

    private CloudApiFormat() {
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        Fields.object(b, "", SHAPE);
        if (!"whatsapp_business_account".equals(b.path("object").asText())) {
            throw new BadRequest("field 'object' must be \"whatsapp_business_account\" (a WhatsApp Cloud API webhook), "
                    + "got " + (b.has("object") ? "\"" + Answers.clip(b.get("object").asText()) + "\"" : "nothing")
                    + ": " + SHAPE);
        }
        JsonNode entries = Fields.array(b, "entry", "");
        if (entries == null) {
            throw new BadRequest("field 'entry' is missing: " + SHAPE);
        }
        List<Message> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<Inbound.Business> business = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            JsonNode changes = Fields.array(Fields.object(entries.get(e), "entry[" + e + "]", SHAPE), "changes",
                    "entry[" + e + "].");
            if (changes == null) {
                continue;
            }
            for (int c = 0; c < changes.size(); c++) {
                String at = "entry[" + e + "].changes[" + c + "].value.";
                JsonNode value = Fields.object(changes.get(c).get("value"), at.substring(0, at.length() - 1), SHAPE);
                JsonNode statuses = Fields.array(value, "statuses", at);
                if (statuses != null) {
                    for (JsonNode st : statuses) {
                        ignored.add("status callback (" + st.path("status").asText("?") + ")");
                    }
                }
                echoes(Fields.array(value, "message_echoes", at), ctx, ignored, business);
                JsonNode messages = Fields.array(value, "messages", at);
                if (messages == null) {
                    continue;
                }
                OriginalFormat.checkCount(out.size() + messages.size());
                Map<String, String> names = new HashMap<>();
                JsonNode contacts = Fields.array(value, "contacts", at);
                if (contacts != null) {
                    for (JsonNode ct : contacts) {
                        String name = ct.path("profile").path("name").asText(null);
                        names.put(ct.path("wa_id").asText(), name);
                        names.put(ct.path("user_id").asText(), name);
                    }
                }
                String phoneNumberId = value.path("metadata").path("phone_number_id").asText(null);
                for (int i = 0; i < messages.size(); i++) {
                    String mat = at + "messages[" + i + "].";
                    JsonNode m = Fields.object(messages.get(i), mat.substring(0, mat.length() - 1), SHAPE);
                    Message msg = one(m, mat, ctx, names, phoneNumberId, ignored);
                    if (msg != null) {
                        out.add(msg);
                    }
                }
            }
        }
        return new Inbound("whatsapp-cloud", out, ignored, List.of(), List.of(), List.copyOf(business));
    }

    /**
     * Message echoes (field {@code smb_message_echoes}, Cloud API coexistence): what the business sent from the
     * WhatsApp Business app on its phone, {@code {"from": <business>, "to": <customer>, "id", "type", "text"}}. Never
     * the API's own sends, so each is a person of the business answering: not the customer's words (ignored), a
     * handover for the chat with {@code to}.
     */
    private static void echoes(JsonNode echoes, InboundContext ctx, List<String> ignored, List<Inbound.Business> out) {
        for (int i = 0; echoes != null && i < echoes.size(); i++) {
            JsonNode m = echoes.get(i);
            ignored.add("message echo: sent by the business from the WhatsApp Business app");
            Inbound.Business sent = ctx.business(m.path("to").asText(null), m.path("text").path("body").asText(""),
                    Boolean.FALSE, "message_echoes[" + i + "].to");
            if (sent != null) {
                out.add(sent);
            }
        }
    }

    /**
     * The sender: their phone (wa_id in {@code from}) when WhatsApp gives it; a person with a username may be known
     * only by their business-scoped user id ({@code from_user_id}, e.g. "US.13491208655302741918"), which is then
     * the conversation ({@code bsuid:US.1349…}). With both, the phone wins and the user id goes to metadata.userId.
     */
    private static final java.util.regex.Pattern BSUID = java.util.regex.Pattern.compile("[A-Z]{2}(\\.ENT)?\\.[A-Za-z0-9]{1,128}");

    private static String conversation(String from, String userId, String at, InboundContext ctx) {
        if (from != null) {
            return ctx.identity().phone("+" + from.replaceFirst("^\\+", ""), at + "from");
        }
        if (userId == null) {
            throw new BadRequest("field '" + at + "from' is missing: the sender's wa_id (e.g. \"79001234567\") or, for a "
                    + "person known by a username, from_user_id (e.g. \"US.13491208655302741918\")");
        }
        if (!BSUID.matcher(userId).matches()) {
            throw new BadRequest("field '" + at + "from_user_id' = \"" + Answers.clip(userId) + "\" is not a "
                    + "business-scoped user id: two letters, a dot, up to 128 letters and digits (US.13491208655302741918)");
        }
        return "bsuid:" + userId;
    }

    private static Message one(JsonNode m, String at, InboundContext ctx, Map<String, String> names,
                               String phoneNumberId, List<String> ignored) {
        String from = Fields.text(m, "from", at);
        String userId = Fields.text(m, "from_user_id", at);
        String conv = conversation(from, userId, at, ctx);
        String id = Fields.requiredText(m, "id", at, "the message id (wamid…)");
        Long ts = Fields.timestamp(m, "timestamp", at);
        String type = Fields.requiredText(m, "type", at, "text, image, audio, video, document, sticker, location, "
                + "contacts, interactive, button");
        Map<String, Object> meta = new HashMap<>();
        if (phoneNumberId != null) {
            meta.put("phoneNumberId", phoneNumberId);
        }
        String sender = names.get(from != null ? from : userId);
        if (sender != null) {
            meta.put("name", sender);
        }
        if (userId != null) {
            meta.put("userId", userId);
        }
        JsonNode x = m.get(type);
        switch (type) {
            case "text" -> {
                String body = x == null ? null : Fields.text(x, "body", at + "text.");
                if (body == null) {
                    throw new BadRequest("field '" + at + "text.body' is missing: the text of a text message");
                }
                return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, body, ts, List.of(), meta, at);
            }
            case "image", "video", "audio", "document", "sticker" -> {
                if (x == null || !x.isObject()) {
                    throw new BadRequest("field '" + at + type + "' is missing: the media object with its id");
                }
                String caption = x.path("caption").asText("");
                MessageType t = type.equals("audio") && x.path("voice").asBoolean(false) ? MessageType.VOICE
                        : MessageType.fromPlatform(type);
                if (x.hasNonNull("filename")) {
                    meta.put("fileName", x.get("filename").asText()); // a name, not a place to fetch it from
                }
                // Cloud API media has no URL in the webhook: the bot fetches it by its id from the Graph API.
                return OriginalFormat.build(ctx, conv, id, t, caption, ts, List.of(new Attachment(t.wire(),
                        x.path("id").asText(null), x.path("mime_type").asText(null), caption, null)), meta, at);
            }
            case "location" -> {
                JsonNode l = x == null ? m.path("location") : x;
                String name = l.path("name").asText(l.path("address").asText(""));
                return OriginalFormat.build(ctx, conv, id, MessageType.LOCATION, name, ts, List.of(new Attachment(
                        "location", null, null, name, "geo:" + l.path("latitude").asText() + ","
                        + l.path("longitude").asText())), meta, at);
            }
            case "contacts" -> {
                String name = m.path("contacts").path(0).path("name").path("formatted_name").asText("");
                return OriginalFormat.build(ctx, conv, id, MessageType.CONTACT, "", ts,
                        List.of(new Attachment("contact", null, "text/vcard", name, null)), meta, at);
            }
            case "interactive" -> {
                // A reply button or list row: what the person tapped, and the id the business gave it.
                JsonNode r = x == null ? null : x.has("button_reply") ? x.get("button_reply") : x.get("list_reply");
                if (r != null && r.hasNonNull("id")) {
                    meta.put("buttonId", r.get("id").asText());
                }
                return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, r == null ? "" : r.path("title").asText(""),
                        ts, List.of(), meta, at);
            }
            case "button" -> {
                // A template's quick-reply button: its text, and its payload as the id.
                if (x != null && x.hasNonNull("payload")) {
                    meta.put("buttonId", x.get("payload").asText());
                }
                return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, x == null ? "" : x.path("text").asText(""),
                        ts, List.of(), meta, at);
            }
            case "order" -> {
                // A cart sent from the catalog: a summary any bot can read as text, the order itself in metadata.
                if (x == null || !x.isObject()) {
                    throw new BadRequest("field '" + at + "order' is missing: the order object with its product_items");
                }
                JsonNode items = Fields.array(x, "product_items", at + "order.");
                StringBuilder text = new StringBuilder("Order:");
                for (int i = 0; items != null && i < items.size(); i++) {
                    JsonNode it = items.get(i);
                    text.append(i == 0 ? " " : ", ").append(it.path("quantity").asText("1")).append(" x ")
                            .append(it.path("product_retailer_id").asText("?"));
                    if (it.has("item_price")) {
                        text.append(" (").append(it.path("item_price").asText()).append(' ')
                                .append(it.path("currency").asText("")).append(')');
                    }
                }
                if (x.hasNonNull("text") && !x.get("text").asText().isBlank()) {
                    text.append(". ").append(x.get("text").asText());
                }
                meta.put("order", io.rapidfire.core.MessageCodec.JSON.convertValue(x, Map.class));
                return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, text.toString(), ts, List.of(), meta, at);
            }
            case "edit" -> {
                // The person edited an earlier message (text or a caption): its new version names the original.
                JsonNode inner = x == null ? null : x.get("message");
                String original = x == null ? null : Fields.text(x, "original_message_id", at + "edit.");
                if (inner == null || !inner.isObject() || original == null) {
                    throw new BadRequest("field '" + at + "edit' must hold original_message_id and message (the new "
                            + "version): {\"original_message_id\": \"wamid…\", \"message\": {\"type\": \"text\", "
                            + "\"text\": {\"body\": \"…\"}}}");
                }
                String innerType = inner.path("type").asText("text");
                String text = innerType.equals("text") ? inner.path("text").path("body").asText("")
                        : inner.path(innerType).path("caption").asText("");
                return Changes.edit(OriginalFormat.build(ctx, conv, id, MessageType.TEXT, text, ts, List.of(), meta, at),
                        original, id);
            }
            case "revoke" -> {
                return Changes.deletion(ctx, conv, id, x == null ? null : Fields.text(x, "original_message_id",
                        at + "revoke."), ts, meta, at + "revoke.original_message_id");
            }
            default -> {
                ignored.add("message type " + type + " (reactions, system and unsupported messages are not batched)");
                return null;
            }
        }
    }
}
