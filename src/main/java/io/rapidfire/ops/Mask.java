package io.rapidfire.ops;

/**
 * Hides most of a person's identifier in logs and unauthenticated stats: "acme:whatsapp:+79001234567" becomes
 * "acme:whatsapp:+790******67". Enough to tell conversations apart while debugging, not to contact anyone.
 */
public final class Mask {
    private Mask() {
    }

    public static String id(String id) {
        if (id == null) {
            return null;
        }
        if (id.length() <= 6) {
            return "*".repeat(id.length());
        }
        int keepStart = Math.min(4, id.length() / 3);
        return id.substring(0, keepStart) + "*".repeat(id.length() - keepStart - 2) + id.substring(id.length() - 2);
    }

    /** Masks the conversation part of "tenant:channel:conversation", keeps tenant and channel. */
    public static String conversation(String key) {
        int a = key.indexOf(':');
        int b = a < 0 ? -1 : key.indexOf(':', a + 1);
        return b < 0 ? id(key) : key.substring(0, b + 1) + id(key.substring(b + 1));
    }
}
