package io.rapidfire.ingest;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;

import java.util.List;

/**
 * What one webhook request carried once adapted: the messages to store, the presence (typing) events to record,
 * and the reasons for what was deliberately not stored (status callbacks, groups, the bot's own messages...).
 * Ignored items are still answered 2xx, so the platform does not retry them.
 */
public record Inbound(String format, List<Message> messages, List<String> ignored, List<Presence> presence) {
    public Inbound(String format, List<Message> messages, List<String> ignored) {
        this(format, messages, ignored, List.of());
    }

    /** The person of {@code conversation} is typing (composing, recording) or stopped. */
    public record Presence(ConversationRef conversation, boolean typing) {
    }
}
