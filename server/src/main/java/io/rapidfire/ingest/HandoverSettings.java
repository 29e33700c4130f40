package io.rapidfire.ingest;

import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.core.TenantPolicies;

import java.util.List;
import java.util.Locale;

/**
 * What hands a conversation to a human from the webhooks, and for how long (docs/operations.md, "Handing a
 * conversation to a human").
 *
 * @param fromMe         which of the business's own messages start a handover (RAPIDFIRE_HANDOVER_FROM_ME)
 * @param handoverMs     how long a handover lasts after the business's last message (RAPIDFIRE_HANDOVER_MS)
 * @param askKeywords    words of the person that ask for a human (RAPIDFIRE_HANDOVER_KEYWORDS); empty: none
 * @param resumeKeywords words of the business that hand the chat back to the bot (RAPIDFIRE_RESUME_KEYWORDS)
 */
public record HandoverSettings(FromMe fromMe, long handoverMs, List<String> askKeywords, List<String> resumeKeywords) {
    public static final long DEFAULT_MS = 30 * 60_000L;

    /**
     * Which business messages hand over. Most bots answer through the same bridge, so their own answers come back as
     * fromMe too: only a bridge that says who sent a message (WAHA's source, Z-API's fromApi, Chatwoot's sender
     * type) can tell a person from the bot. HUMAN (default): those the bridge says a person sent; ALL: every one the
     * bridge does not say the API sent (for a bot that answers through another channel); OFF: none.
     */
    public enum FromMe {
        OFF, HUMAN, ALL;

        boolean handsOver(Boolean byApi) {
            return switch (this) {
                case OFF -> false;
                case HUMAN -> Boolean.FALSE.equals(byApi);
                case ALL -> !Boolean.TRUE.equals(byApi);
            };
        }
    }

    public static HandoverSettings defaults() {
        return new HandoverSettings(FromMe.HUMAN, DEFAULT_MS, List.of(), List.of());
    }

    public static HandoverSettings from(RapidfireConfig c) {
        return new HandoverSettings(FromMe.valueOf(c.get(Setting.RAPIDFIRE_HANDOVER_FROM_ME).toUpperCase(Locale.ROOT)),
                c.getLong(Setting.RAPIDFIRE_HANDOVER_MS), keywords(c.get(Setting.RAPIDFIRE_HANDOVER_KEYWORDS)),
                keywords(c.get(Setting.RAPIDFIRE_RESUME_KEYWORDS)));
    }

    private static List<String> keywords(String spec) {
        return TenantPolicies.keywords(spec).stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    }
}
