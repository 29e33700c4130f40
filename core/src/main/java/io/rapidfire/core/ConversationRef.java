package io.rapidfire.core;

import java.util.regex.Pattern;

/**
 * Who a batch belongs to: tenant (the original's companyId) + channel + conversation (the sender).
 * {@link #key()} is the one string that names the conversation in every store; tenant and
 * channel may not contain ':' so the key can always be split back unambiguously.
 */
public record ConversationRef(String tenant, String channel, String conversation) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MAX_CONVERSATION_LENGTH = 256;

    public ConversationRef {
        requireName("tenant", tenant);
        requireName("channel", channel);
        if (conversation == null || conversation.isEmpty() || conversation.length() > MAX_CONVERSATION_LENGTH
                || conversation.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidMessageException("conversation must be 1.." + MAX_CONVERSATION_LENGTH
                    + " characters without control characters, got " + quote(conversation));
        }
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidMessageException(what + " must match " + NAME.pattern() + ", got " + quote(value));
        }
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "\"" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "\"";
    }

    /** Whether a tenant or channel name is acceptable: 1 to 64 of A-Z a-z 0-9 . _ - (no ':'). */
    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    public String key() {
        return tenant + ":" + channel + ":" + conversation;
    }

    public static ConversationRef parseKey(String key) {
        int a = key.indexOf(':');
        int b = key.indexOf(':', a + 1);
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("not a conversation key (tenant:channel:conversation): " + key);
        }
        return new ConversationRef(key.substring(0, a), key.substring(a + 1, b), key.substring(b + 1));
    }

    @Override
    public String toString() {
        return key();
    }
}
