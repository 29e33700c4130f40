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
import java.util.Locale;
import java.util.Map;

/**
 * WAHA (WhatsApp HTTP API) webhooks, on {@code POST /webhook/waha}: an envelope {@code {"id": "evt_…", "timestamp":
 * <ms>, "event": "message", "session": "default", "payload": {...}}} (waha.devlike.pro, Events). {@code message}
 * and {@code message.any} carry a message ({@code payload.from}, {@code body}, {@code hasMedia}, {@code media
 * {url, mimetype, filename}}, {@code location}); {@code message.any} also the business's own ({@code fromMe}:
 * ignored like every bridge's). A message subscribed under both events is stored once, by its id.
 * {@code presence.update} carries typing ({@code payload {id, presences: [{participant, lastKnownPresence}]}}).
 * Every other event (session.status, message.ack, message.reaction, group and call events, …) is
 * acknowledged with its name and never batched.
 */
final class WahaFormat {
    static final String SHAPE = "{\"event\": \"message\", \"session\": \"default\", \"payload\": {\"id\": "
            + "\"false_79001234567@c.us_3EB0…\", \"from\": \"79001234567@c.us\", \"body\": \"Hi\", \"timestamp\": 1764320000}}";

    private WahaFormat() {
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        Fields.object(b, "", SHAPE);
        String event = Fields.requiredText(b, "event", "", "the WAHA event name, e.g. \"message\"");
        switch (event.toLowerCase(Locale.ROOT)) {
            case "message", "message.any" -> {
                return message(Fields.object(b.get("payload"), "payload", SHAPE), ctx);
            }
            case "message.edited" -> {
                return edited(Fields.object(b.get("payload"), "payload", SHAPE), ctx);
            }
            case "message.revoked" -> {
                return revoked(Fields.object(b.get("payload"), "payload", "{\"revokedMessageId\": \"…\", \"after\": "
                        + "{\"from\": \"79001234567@c.us\", …}}"), ctx);
            }
            case "poll.vote" -> {
                return pollVote(Fields.object(b.get("payload"), "payload", "{\"vote\": {\"from\": \"79001234567@c.us\", "
                        + "\"selectedOptions\": [\"Tuesday\"]}, \"poll\": {\"id\": \"…\"}}"), ctx);
            }
            case "presence.update" -> {
                return presence(Fields.object(b.get("payload"), "payload", "{\"id\": \"79001234567@c.us\", \"presences\": "
                        + "[{\"participant\": \"79001234567@c.us\", \"lastKnownPresence\": \"typing\"}]}"), ctx);
            }
            default -> {
                return new Inbound("waha", List.of(), List.of("event " + Answers.clip(event)
                        + " is not a person's message (acknowledged, not batched)"));
            }
        }
    }

    /**
     * {@code message.edited}: the payload is the message with its new {@code body} and {@code editedMessageId}
     * naming the original (WAHA docs, Events): an edit (core/Edits).
     */
    private static Inbound edited(JsonNode p, InboundContext ctx) {
        String original = Fields.requiredText(p, "editedMessageId", "payload.", "the id of the edited message");
        Inbound parsed = message(p, ctx);
        if (parsed.messages().isEmpty()) {
            return parsed;
        }
        Message m = parsed.messages().get(0);
        return one(Changes.edit(m, original, m.id().equals(original) ? "edit:" + original + ":" + m.platformTimestampMs()
                : m.id()));
    }

    /**
     * {@code message.revoked}: {@code revokedMessageId} (else {@code before.id}) was deleted in the chat of
     * {@code after.from} (else {@code before.from}): a deletion (core/Edits).
     */
    private static Inbound revoked(JsonNode p, InboundContext ctx) {
        JsonNode after = p.path("after");
        JsonNode before = p.path("before");
        JsonNode side = after.isObject() ? after : before;
        if (side.path("fromMe").asBoolean(false) && !ctx.acceptFromMe()) {
            return new Inbound("waha", List.of(), List.of("deleted by the business itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)"));
        }
        String from = side.path("from").asText(null);
        String original = p.path("revokedMessageId").asText(before.path("id").asText(null));
        if (from == null || original == null) {
            throw new BadRequest("a message.revoked event needs payload.revokedMessageId and payload.after.from (the "
                    + "deleted message and its chat)");
        }
        SenderIdentity.Sender s = ctx.identity().whatsapp(from, side.path("participant").asText(null), "payload.after.from");
        if (s.ignored() != null) {
            return new Inbound("waha", List.of(), List.of(s.ignored()));
        }
        return one(Changes.deletion(ctx, s.id(), after.path("id").asText(null), original,
                Fields.timestamp(side, "timestamp", "payload.after."), Map.of(), "payload.revokedMessageId"));
    }

    /**
     * {@code poll.vote}: the person's choice in a poll the business sent (payload.vote: from, selectedOptions as the
     * options' texts, timestamp; payload.poll: the poll's id). The text is the chosen options.
     */
    private static Inbound pollVote(JsonNode p, InboundContext ctx) {
        JsonNode vote = Fields.object(p.get("vote"), "payload.vote", "{\"from\": \"79001234567@c.us\", "
                + "\"selectedOptions\": [\"Tuesday\"]}");
        if (Fields.bool(vote, "fromMe") && !ctx.acceptFromMe()) {
            return new Inbound("waha", List.of(), List.of("voted by the business itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)"));
        }
        JsonNode options = Fields.array(vote, "selectedOptions", "payload.vote.");
        if (options == null) {
            throw new BadRequest("field 'payload.vote.selectedOptions' is missing: the chosen options, e.g. [\"Tuesday\"]");
        }
        if (options.isEmpty()) {
            return new Inbound("waha", List.of(), List.of("a poll vote taken back (no option selected)"));
        }
        String from = Fields.requiredText(vote, "from", "payload.vote.", "the voter's chat, e.g. \"79001234567@c.us\"");
        SenderIdentity.Sender s = ctx.identity().whatsapp(from, Fields.text(vote, "participant", "payload.vote."),
                "payload.vote.from");
        if (s.ignored() != null) {
            return new Inbound("waha", List.of(), List.of(s.ignored()));
        }
        List<String> chosen = new ArrayList<>();
        options.forEach(o -> chosen.add(o.asText()));
        String poll = p.path("poll").path("id").asText("?");
        Long ts = Fields.timestamp(vote, "timestamp", "payload.vote.");
        // A changed vote is a new vote: without WAHA's id, the poll, the time and the choice name it.
        String id = vote.hasNonNull("id") ? vote.get("id").asText() : "poll:" + poll + ":" + ts + ":" + chosen;
        return one(Polls.answer(ctx, s.id(), id, poll, chosen, List.copyOf(chosen), ts, "payload.vote."));
    }

    private static Inbound message(JsonNode p, InboundContext ctx) {
        if (Fields.bool(p, "fromMe") && !ctx.acceptFromMe()) {
            // WAHA's source: "api" sent through WAHA (the bot), "app" from the phone or WhatsApp Web (a person).
            String source = p.path("source").asText("");
            Boolean byApi = source.equals("api") ? Boolean.TRUE : source.equals("app") ? Boolean.FALSE : null;
            return Inbound.business("waha", "sent by the business itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)",
                    ctx.business(p.path("to").asText(null), p.path("body").asText(""), byApi, "payload.to"));
        }
        String from = Fields.requiredText(p, "from", "payload.", "the chat, e.g. \"79001234567@c.us\"");
        // The NOWEB engine passes Baileys' key in _data: the chat's other id (lid or phone) is there.
        JsonNode key = p.path("_data").path("key");
        String alt = key.path("remoteJidAlt").asText(key.path("senderPn").asText(null));
        SenderIdentity.Sender s = ctx.identity().whatsapp(from, alt, Fields.text(p, "participant", "payload."),
                "payload.from");
        if (s.ignored() != null) {
            return new Inbound("waha", List.of(), List.of(s.ignored()));
        }
        String id = Fields.requiredText(p, "id", "payload.", "the message id, e.g. \"false_79001234567@c.us_3EB0…\"");
        Long ts = Fields.timestamp(p, "timestamp", "payload.");
        String body = p.path("body").asText("");
        Map<String, Object> meta = new HashMap<>(s.lidMetadata(Map.of()));
        String name = p.path("_data").path("notifyName").asText(p.path("_data").path("pushName").asText(null));
        if (name != null) {
            meta.put("name", name);
        }
        JsonNode location = p.path("location");
        if (location.isObject() && location.has("latitude")) {
            String description = location.path("description").asText("");
            return linked(s, OriginalFormat.build(ctx, s.id(), id, MessageType.LOCATION, description, ts, List.of(new Attachment(
                    "location", id, null, description, "geo:" + location.path("latitude").asText() + ","
                    + location.path("longitude").asText())), meta, "payload."));
        }
        if (p.path("hasMedia").asBoolean(false)) {
            JsonNode media = p.path("media");
            String mime = media.path("mimetype").asText(null);
            MessageType type = typeOf(mime, p.path("_data").path("type").asText(""));
            // The media itself stays with WAHA (media.url downloads it); the body of a media message is its caption.
            return linked(s, OriginalFormat.build(ctx, s.id(), id, type, body, ts, List.of(new Attachment(type.wire(), id, mime,
                    body, media.path("url").asText(null))), meta, "payload."));
        }
        if (body.isEmpty()) {
            return new Inbound("waha", List.of(), List.of("message without text, media or location (a system notice)"));
        }
        return linked(s, OriginalFormat.build(ctx, s.id(), id, MessageType.TEXT, body, ts, List.of(), meta, "payload."));
    }

    /** From the MIME type (WAHA gives no kind), a voice note by its wa-js type "ptt" where the engine passes it. */
    private static MessageType typeOf(String mime, String engineType) {
        if (engineType.equals("ptt")) {
            return MessageType.VOICE;
        }
        if (mime == null) {
            return MessageType.DOCUMENT;
        }
        String m = mime.toLowerCase(Locale.ROOT);
        if (m.equals("image/webp")) {
            return MessageType.STICKER;
        }
        if (m.startsWith("image/")) {
            return MessageType.IMAGE;
        }
        if (m.startsWith("video/")) {
            return MessageType.VIDEO;
        }
        if (m.startsWith("audio/ogg")) {
            return MessageType.VOICE;
        }
        return m.startsWith("audio/") ? MessageType.AUDIO : MessageType.DOCUMENT;
    }

    private static Inbound presence(JsonNode p, InboundContext ctx) {
        String chat = Fields.requiredText(p, "id", "payload.", "the chat, e.g. \"79001234567@c.us\"");
        JsonNode presences = Fields.array(p, "presences", "payload.");
        if (presences == null || presences.isEmpty()) {
            throw new BadRequest("field 'payload.presences' must be a non-empty array: [{\"participant\": "
                    + "\"79001234567@c.us\", \"lastKnownPresence\": \"typing\"}]");
        }
        List<Inbound.Presence> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < presences.size(); i++) {
            String at = "payload.presences[" + i + "]";
            JsonNode e = Fields.object(presences.get(i), at, "{\"participant\": \"…\", \"lastKnownPresence\": \"typing\"}");
            String state = Fields.requiredText(e, "lastKnownPresence", at + ".", "typing, recording, paused, online or offline");
            String participant = Fields.text(e, "participant", at + ".");
            PresenceFormat.add(out, ignored, ctx, chat, participant == null || participant.equals(chat) ? null : participant,
                    state, "payload.id");
        }
        return new Inbound("waha-presence", List.of(), ignored, out);
    }

    /** One message, with the lid-phone pair of its sender when WAHA gave both (IdentityLinks). */
    private static Inbound linked(SenderIdentity.Sender s, Message m) {
        return s.lid() == null ? one(m) : one(m).withLinks(List.of(new Inbound.Link(m.conversation(), s.lid())));
    }

    private static Inbound one(Message m) {
        return new Inbound("waha", List.of(m), List.of());
    }
}
