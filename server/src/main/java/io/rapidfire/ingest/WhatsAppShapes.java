package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The WhatsApp bridge route ({@code /webhook/whatsapp/batched} and its passthrough) takes every bridge's payload on
 * one URL, as the original did: this tells them apart by shape (presence events, Baileys/Evolution, Venom/WPPConnect,
 * any other bridge event, the original's shapes) and hands each to its adapter.
 */
final class WhatsAppShapes {
    private WhatsAppShapes() {
    }

    static Inbound parse(JsonNode body, InboundContext ctx) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("the body must be a JSON object; accepted shapes: the original's " + OriginalFormat.SHAPES
                    + "; a Venom/WPPConnect message object; a Baileys messages.upsert event");
        }
        if (PresenceFormat.isBaileys(body)) {
            return PresenceFormat.baileys(body, ctx);
        }
        if (PresenceFormat.isWaJs(body)) {
            return PresenceFormat.waJs(body, ctx);
        }
        if (BaileysFormat.matches(body)) {
            return BaileysFormat.parse(body, ctx);
        }
        if (VenomFormat.matches(body)) {
            return VenomFormat.parse(body, ctx);
        }
        Inbound deletion = EvolutionDeletions.parse(body, ctx);
        if (deletion != null) {
            return deletion;
        }
        if (body.path("event").isTextual()) {
            // A bridge's event that is not a person's message (Evolution's messages.update, connection.update,
            // send.message...; WPPConnect's status-find, qrcode...): acknowledged with its kind named, since a bridge
            // answered 4xx retries or turns its webhook off. Malformed message and presence events were refused above.
            String format = body.has("instance") ? "evolution" : body.has("session") ? "wppconnect" : "bridge-event";
            return new Inbound(format, List.of(), List.of("event " + Answers.clip(body.get("event").asText())
                    + " is not a person's message (acknowledged, not batched)"));
        }
        if (body.has("from") || body.has("messages") || body.has("message") || body.has("body")) {
            return OriginalFormat.parse(body, ctx);
        }
        throw new BadRequest("unknown payload shape (fields: " + fieldNames(body) + "); accepted shapes: the original's "
                + OriginalFormat.SHAPES + "; a Venom/WPPConnect message object ({\"from\", \"body\", \"type\", \"t\", ...}); "
                + "a Baileys or Evolution API messages.upsert event ({\"event\": \"messages.upsert\", \"data\": {\"messages\": [...]}}); "
                + "a presence event (Baileys/Evolution presence.update, WPPConnect onpresencechanged)");
    }

    private static String fieldNames(JsonNode b) {
        StringBuilder s = new StringBuilder();
        b.fieldNames().forEachRemaining(f -> s.append(s.length() == 0 ? "" : ", ").append(Answers.clip(f)));
        return s.length() == 0 ? "none" : s.toString();
    }
}
