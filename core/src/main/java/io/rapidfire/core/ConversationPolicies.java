package io.rapidfire.core;

/**
 * Rules for one conversation, on top of its tenant's: kept among the runtime policies ({@link SharedState}) under
 * {@code conv:<tenant:channel:conversation>} (a tenant name cannot hold ':', so they never meet a tenant), with an
 * optional end: {@code untilMs:<store ms>} as one more field of the spec. So they reach every process the way tenant
 * overrides do, within about a second, and need nothing new from a store. Meant for the few conversations that need
 * their own rules (a VIP, a group that posts photos first); every process reads them all once a second.
 */
public final class ConversationPolicies {
    /** The prefix of a conversation's entry among the runtime policies. */
    public static final String PREFIX = "conv:";
    private static final String UNTIL = "untilMs:";

    private ConversationPolicies() {
    }

    /** The runtime-policies field of a conversation. */
    public static String field(ConversationRef c) {
        return PREFIX + c.key();
    }

    /** The conversation a runtime-policies field names, or null for a tenant's field. */
    public static ConversationRef conversationOf(String field) {
        return field.startsWith(PREFIX) ? ConversationRef.parseKey(field.substring(PREFIX.length())) : null;
    }

    /** A conversation's rules and when they end (-1: never). */
    public record Override(String spec, long untilMs) {
        public boolean activeAt(long nowMs) {
            return untilMs < 0 || untilMs > nowMs;
        }
    }

    /** What is stored: the spec, and ",untilMs:<ms>" when it ends. */
    public static String encode(String spec, long untilMs) {
        return untilMs < 0 ? spec : spec + "," + UNTIL + untilMs;
    }

    public static Override decode(String value) {
        int at = value.lastIndexOf(UNTIL);
        if (at < 0) {
            return new Override(value, -1);
        }
        String spec = value.substring(0, at);
        spec = spec.endsWith(",") ? spec.substring(0, spec.length() - 1) : spec;
        return new Override(spec, Long.parseLong(value.substring(at + UNTIL.length()).trim()));
    }
}
