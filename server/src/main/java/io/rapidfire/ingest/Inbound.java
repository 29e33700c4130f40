package io.rapidfire.ingest;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;

import java.util.List;

/**
 * What one webhook request carried once adapted: the messages to store, the presence (typing) events to record,
 * and the reasons for what was deliberately not stored (status callbacks, groups, the bot's own messages...).
 * Ignored items are still answered 2xx, so the platform does not retry them.
 */
public record Inbound(String format, List<Message> messages, List<String> ignored, List<Presence> presence,
                      List<Link> links, List<Business> business) {
    public Inbound(String format, List<Message> messages, List<String> ignored) {
        this(format, messages, ignored, List.of(), List.of(), List.of());
    }

    public Inbound(String format, List<Message> messages, List<String> ignored, List<Presence> presence) {
        this(format, messages, ignored, presence, List.of(), List.of());
    }

    /** This, carrying the lid-phone pairs its bridge gave (IdentityLinks). */
    Inbound withLinks(List<Link> pairs) {
        return new Inbound(format, messages, ignored, presence, List.copyOf(pairs), business);
    }

    /**
     * The business's own message (fromMe, a Chatwoot agent's outgoing message): not stored as the person's, ignored
     * with {@code reason}, and passed on so it can hand the chat over to a human (HandoverTriggers).
     */
    static Inbound business(String format, String reason, Business sent) {
        return new Inbound(format, List.of(), List.of(reason), List.of(), List.of(),
                sent == null ? List.of() : List.of(sent));
    }

    /**
     * A message the business sent in {@code conversation}. {@code byApi}: what the bridge says of who sent it: true
     * through its API (the bot, most likely), false from the phone or the inbox (a human), null when it does not say.
     */
    public record Business(ConversationRef conversation, String text, Boolean byApi) {
    }

    /**
     * A bridge gave both ids of one person: {@code phone} is their conversation under their phone (a group's:
     * "group:&lt;group&gt;/+7900…"), {@code lid} ("lid:…") the other id. Only the WhatsApp bridge formats make these,
     * from their own fields, never from a caller's metadata.
     */
    public record Link(ConversationRef phone, String lid) {
    }

    /** The person of {@code conversation} is typing (composing, recording) or stopped. */
    public record Presence(ConversationRef conversation, boolean typing) {
    }
}
