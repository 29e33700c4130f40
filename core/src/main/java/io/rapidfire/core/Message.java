package io.rapidfire.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One inbound chat message as the platform sent it.
 *
 * @param id                  the platform's message id, used to drop platform retries; null when the platform gave none
 * @param platformTimestampMs when the platform says it was sent (ms since epoch), null when unknown
 * @param receivedAtMs        when this process received it (informational; deadlines use the store's clock)
 * @param trace               the W3C traceparent of the span that stored it, null when tracing is off; the batch's
 *                            span links to it (io.rapidfire.trace)
 */
public record Message(String id, ConversationRef conversation, MessageType type, String text,
                      Long platformTimestampMs, long receivedAtMs, List<Attachment> attachments,
                      Map<String, Object> metadata, String trace) {
    public static final int MAX_ID_LENGTH = 256;

    public Message {
        if (conversation == null) {
            throw new InvalidMessageException("message has no conversation");
        }
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
            throw new InvalidMessageException("messageId must be 1.." + MAX_ID_LENGTH + " characters, got " + id.length());
        }
        type = type == null ? MessageType.TEXT : type;
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        // Platform metadata may hold JSON nulls, which Map.copyOf refuses.
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    public Message(String id, ConversationRef conversation, MessageType type, String text, Long platformTimestampMs,
                   long receivedAtMs, List<Attachment> attachments, Map<String, Object> metadata) {
        this(id, conversation, type, text, platformTimestampMs, receivedAtMs, attachments, metadata, null);
    }

    /** This message as stored under the span {@code traceparent} names. */
    public Message withTrace(String traceparent) {
        return new Message(id, conversation, type, text, platformTimestampMs, receivedAtMs, attachments, metadata,
                traceparent);
    }

    public static Message text(ConversationRef conversation, String id, String text, Long platformTimestampMs) {
        return new Message(id, conversation, MessageType.TEXT, text, platformTimestampMs,
                System.currentTimeMillis(), List.of(), Map.of());
    }

    /**
     * The size that counts against a policy's maxBytes: the UTF-8 bytes of what the person typed
     * (text and captions), because that is what the bot's LLM will read.
     */
    public int contentBytes() {
        int n = text.getBytes(StandardCharsets.UTF_8).length;
        for (Attachment a : attachments) {
            if (a.caption() != null && !a.caption().equals(text)) {
                n += a.caption().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
