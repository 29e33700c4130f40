package io.rapidfire.ingest;

import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Message;

import java.util.List;
import java.util.Map;

/**
 * Evolution API reports a person deleting a message in two events of its own: {@code messages.delete} (data: the
 * deleted message's key {@code {remoteJid, fromMe, id}}) and {@code messages.update} with {@code status: "DELETED"}
 * (data: {@code keyId, remoteJid, fromMe}). Both become a deletion (core/Edits); every other messages.update (a
 * delivery or read receipt) is not a person's message and is acknowledged by the caller.
 */
final class EvolutionDeletions {
    private EvolutionDeletions() {
    }

    /** The deletion, or null when the body is not one of these events. */
    static Inbound parse(JsonNode b, InboundContext ctx) {
        String event = BaileysFormat.eventName(b);
        JsonNode d = b.path("data");
        String jid;
        String original;
        String at;
        if (event.equals("messages.delete") && d.isObject()) {
            JsonNode key = d.has("key") ? d.get("key") : d;
            jid = key.path("remoteJid").asText(null);
            original = key.path("id").asText(null);
            at = d.has("key") ? "data.key." : "data.";
            if (key.path("fromMe").asBoolean(false) && !ctx.acceptFromMe()) {
                return ignoredFromMe();
            }
        } else if (event.equals("messages.update") && d.isObject() && "DELETED".equals(d.path("status").asText())) {
            jid = d.path("remoteJid").asText(null);
            original = d.path("keyId").asText(null);
            at = "data.";
            if (d.path("fromMe").asBoolean(false) && !ctx.acceptFromMe()) {
                return ignoredFromMe();
            }
        } else {
            return null;
        }
        if (jid == null || original == null) {
            throw new BadRequest("a " + event + " event of a deleted message needs " + at + "remoteJid and " + at
                    + (event.equals("messages.delete") ? "id" : "keyId") + " (the chat and the deleted message)");
        }
        JsonNode key = d.has("key") ? d.get("key") : d;
        SenderIdentity.Sender s = ctx.identity().whatsapp(jid, key.path("participant").asText(null), at + "remoteJid");
        if (s.ignored() != null) {
            return new Inbound("evolution", List.of(), List.of(s.ignored()));
        }
        Message m = Changes.deletion(ctx, s.id(), null, original, null, Map.of(), at);
        return new Inbound("evolution", List.of(m), List.of());
    }

    private static Inbound ignoredFromMe() {
        return new Inbound("evolution", List.of(), List.of("deleted by the bot itself (fromMe; RAPIDFIRE_ACCEPT_FROM_ME=false)"));
    }
}
