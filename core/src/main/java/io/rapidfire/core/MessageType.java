package io.rapidfire.core;

import java.util.Locale;

public enum MessageType {
    TEXT, IMAGE, AUDIO, VOICE, VIDEO, DOCUMENT, STICKER, LOCATION, CONTACT, OTHER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
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
