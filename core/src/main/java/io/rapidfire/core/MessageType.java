package io.rapidfire.core;

import java.util.Locale;

public enum MessageType {
    TEXT, IMAGE, AUDIO, VOICE, VIDEO, DOCUMENT, STICKER, LOCATION, CONTACT, OTHER,
    /** The person edited an earlier message: text is the new text, {@code metadata.originalId} names it (see {@link Edits}). */
    EDIT,
    /** The person deleted an earlier message: {@code metadata.originalId} names it (see {@link Edits}). */
    DELETION,
    /**
     * Not the person's: an event of the conversation's handover ({@link Handover}), in order with its messages;
     * {@code metadata.handover} is "started" or "ended", {@code metadata.by} a {@link HandoverBy} word.
     */
    HANDOVER;

    /** An edit or a deletion of an earlier message, not a message of its own. */
    public boolean isChange() {
        return this == EDIT || this == DELETION;
    }

    /**
     * What RAPIDFIRE_MEDIA_RELEASES_BATCH releases a batch for: anything the person sent that is not text (a photo, a
     * voice note, a location, a contact...), and not an edit or a deletion of an earlier message.
     */
    public boolean isMedia() {
        return this != TEXT && this != HANDOVER && !isChange();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A type a platform (or a caller of the generic route) named: as {@link #fromWire}, except that Rapidfire's own
     * {@link #HANDOVER} events cannot be named from outside (a forged one would read as a handover event and keep the
     * person's words from the AI): "handover" from a platform is OTHER.
     */
    public static MessageType fromPlatform(String s) {
        MessageType t = fromWire(s);
        return t == HANDOVER ? OTHER : t;
    }

    public static MessageType fromWire(String s) {
        if (s == null || s.isBlank()) {
            return TEXT;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }
}
