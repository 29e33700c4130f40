package io.rapidfire.ingest;

import io.rapidfire.http.Names;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.ConversationRef;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Presence (typing) events, on the same routes as the bridge's messages: a bridge posts all its events to one
 * webhook URL. They feed typing-aware release (docs/release-rules.md): acknowledged, never delivered, never a
 * batch of their own.
 * <ul>
 *   <li>Baileys {@code presence.update} and Evolution API's {@code PRESENCE_UPDATE} webhook:
 *       {@code {"event": "presence.update", "data": {"id": "<chat jid>", "presences": {"<participant jid>":
 *       {"lastKnownPresence": "composing"}}}}} (states composing, recording, paused, available, unavailable);</li>
 *   <li>WPPConnect-server's {@code onpresencechanged} and the wa-js presence object Venom and WPPConnect hand to
 *       their presence callback: {@code {"id": "<chat id>", "state": "composing", "isOnline": true, "isGroup":
 *       false, "t": ...}}; groups carry {@code participants: [{"id", "state"}]};</li>
 *   <li>the generic shape on {@code /webhook/{channel}}: {@code {"sender": "user-42", "typing": true}}.</li>
 * </ul>
 * Unknown states, and groups while RAPIDFIRE_ACCEPT_GROUPS=false, are acknowledged and ignored.
 */
final class PresenceFormat {
    private PresenceFormat() {
    }

    static boolean isBaileys(JsonNode b) {
        String e = b.path("event").asText("").toLowerCase(Locale.ROOT).replace('_', '.');
        return e.equals("presence.update") || (!b.has("event") && b.has("presences") && b.has("id"));
    }

    static boolean isWaJs(JsonNode b) {
        if (b.has("event")) {
            return b.get("event").asText("").equalsIgnoreCase("onpresencechanged");
        }
        return b.has("state") && b.has("id") && (b.has("isOnline") || b.has("isUser") || b.has("isGroup"))
                && !b.has("from") && !b.has("body");
    }

    static boolean isGeneric(JsonNode b) {
        return b.isObject() && b.has("typing") && !b.has("text") && !b.has("attachments") && !b.has("messages");
    }

    /** composing/recording (and wa-js's typing, recording_audio) are typing; paused, available, unavailable stop. */
    static Boolean typing(String state) {
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "composing", "recording", "typing", "recording_audio" -> Boolean.TRUE;
            case "paused", "available", "unavailable", "online", "offline" -> Boolean.FALSE;
            default -> null;
        };
    }

    static Inbound baileys(JsonNode b, InboundContext ctx) {
        JsonNode data = b.has("data") ? Fields.object(b.get("data"), "data", "{\"id\": \"…@s.whatsapp.net\", "
                + "\"presences\": {\"…@s.whatsapp.net\": {\"lastKnownPresence\": \"composing\"}}}") : b;
        String at = b.has("data") ? "data." : "";
        String chat = Fields.requiredText(data, "id", at, "the chat's jid, e.g. \"79001234567@s.whatsapp.net\"");
        JsonNode presences = Fields.object(data.get("presences"), at + "presences",
                "{\"<participant jid>\": {\"lastKnownPresence\": \"composing\"}}");
        if (presences.isEmpty()) {
            throw new BadRequest("field '" + at + "presences' is empty: one entry per participant, "
                    + "{\"<jid>\": {\"lastKnownPresence\": \"composing\"}}");
        }
        List<Inbound.Presence> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = presences.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = at + "presences[\"" + Answers.clip(e.getKey()) + "\"]";
            JsonNode p = Fields.object(e.getValue(), path, "{\"lastKnownPresence\": \"composing\"}");
            String state = Fields.requiredText(p, "lastKnownPresence", path + ".",
                    "composing, recording, paused, available or unavailable");
            add(out, ignored, ctx, chat, e.getKey().equals(chat) ? null : e.getKey(), state, at + "id");
        }
        return new Inbound("baileys-presence", List.of(), ignored, out);
    }

    static Inbound waJs(JsonNode b, InboundContext ctx) {
        String chat = VenomFormat.idText(b.get("id"));
        if (chat == null || chat.isBlank()) {
            throw new BadRequest("field 'id' is missing: the chat id of the presence event, e.g. \"79001234567@c.us\"");
        }
        List<Inbound.Presence> out = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        JsonNode parts = b.get("participants");
        if (parts != null && parts.isArray() && !parts.isEmpty()) {
            for (int i = 0; i < parts.size(); i++) {
                String path = "participants[" + i + "]";
                JsonNode p = Fields.object(parts.get(i), path, "{\"id\": \"…@c.us\", \"state\": \"composing\"}");
                String who = VenomFormat.idText(p.get("id"));
                if (who == null) {
                    throw new BadRequest("field '" + path + ".id' is missing: the participant's id");
                }
                add(out, ignored, ctx, chat, who, Fields.requiredText(p, "state", path + ".",
                        "available, composing, recording or unavailable"), "id");
            }
        } else {
            add(out, ignored, ctx, chat, null, Fields.requiredText(b, "state", "",
                    "available, composing, recording or unavailable"), "id");
        }
        return new Inbound(b.has("event") ? "wppconnect-presence" : "venom-presence", List.of(), ignored, out);
    }

    static Inbound generic(JsonNode b, InboundContext ctx) {
        InboundContext c = ctx;
        String tenant = Fields.text(b, "tenant", "");
        if (tenant != null) {
            c = new InboundContext(Names.tenant(tenant, "field 'tenant'"), ctx.channel(), ctx.identity(), ctx.acceptFromMe());
        }
        String sender = Fields.requiredText(b, "sender", "", "who is typing, your id for the person (e.g. \"user-42\")");
        JsonNode t = b.get("typing");
        if (!t.isBoolean()) {
            throw new BadRequest("field 'typing' must be true (typing) or false (stopped), got " + Fields.kind(t));
        }
        return new Inbound("generic-presence", List.of(), List.of(),
                List.of(new Inbound.Presence(ref(c, sender.strip(), "sender"), t.asBoolean())));
    }

    static void add(List<Inbound.Presence> out, List<String> ignored, InboundContext ctx, String chat,
                            String participant, String state, String field) {
        Boolean typing = typing(state);
        if (typing == null) {
            ignored.add("presence state '" + Answers.clip(state) + "' is not a typing signal (composing, recording, "
                    + "paused, available, unavailable)");
            return;
        }
        SenderIdentity.Sender s = ctx.identity().whatsapp(chat, participant, field);
        if (s.ignored() != null) {
            ignored.add(s.ignored());
            return;
        }
        out.add(new Inbound.Presence(ref(ctx, s.id(), field), typing));
    }

    private static ConversationRef ref(InboundContext ctx, String id, String field) {
        try {
            return new ConversationRef(ctx.tenant(), ctx.channel(), id);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("field '" + field + "': " + e.getMessage());
        }
    }
}
