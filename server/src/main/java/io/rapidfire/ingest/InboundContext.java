package io.rapidfire.ingest;

/** What an adapter needs besides the body: the tenant, the channel, and how to identify senders. */
public record InboundContext(String tenant, String channel, SenderIdentity identity, boolean acceptFromMe) {

    /**
     * The business's message in the WhatsApp chat {@code chatJid} (its "to", or Baileys' remoteJid), or null when
     * the chat is not a person's one-to-one chat (a group, a status, a broadcast: no handover there) or not given.
     */
    Inbound.Business business(String chatJid, String text, Boolean byApi, String field) {
        if (chatJid == null || chatJid.isBlank()) {
            return null;
        }
        try {
            SenderIdentity.Sender s = identity.whatsapp(chatJid, null, field);
            if (s.ignored() != null || s.id().startsWith("group:")) {
                return null;
            }
            return new Inbound.Business(new io.rapidfire.core.ConversationRef(tenant, channel, s.id()),
                    text == null ? "" : text, byApi);
        } catch (RuntimeException notAChat) {
            return null;
        }
    }

    /** A bridge's yes/no field, or null when it is absent (the bridge does not say). */
    static Boolean flag(com.fasterxml.jackson.databind.JsonNode node, String field) {
        com.fasterxml.jackson.databind.JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asBoolean(false);
    }
}
