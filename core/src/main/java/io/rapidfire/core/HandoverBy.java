package io.rapidfire.core;

import java.util.Locale;

/** Who started or ended a handover ({@link Handover}); travels in the handover events. */
public enum HandoverBy {
    /** An operator: admin API, `rapidfire handover`, the dashboard. */
    OPERATOR,
    /** The business's own outgoing message (a person answering from the phone or the inbox). */
    BUSINESS,
    /** The bot: its answer to a delivery said {@code {"handover": true}}. */
    BOT,
    /** A keyword: the person asked for a human, or the business's message handed back (RAPIDFIRE_HANDOVER_KEYWORDS). */
    KEYWORD,
    /** Its time ran out (RAPIDFIRE_HANDOVER_MS after the business's last message, or the time an operator gave). */
    EXPIRY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
