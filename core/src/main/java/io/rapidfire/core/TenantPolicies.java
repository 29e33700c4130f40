package io.rapidfire.core;


import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code acme=quietMs:2000,maxMessages:5;beta=quietMs:0}: per-tenant changes to the default policy. */
public final class TenantPolicies {
    private TenantPolicies() {
    }

    public static Map<String, Policy> parse(String spec, Policy defaults) {
        Map<String, Policy> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("tenant=field:value,... separated by ';' (got \"" + entry.trim() + "\")");
            }
            String tenant = entry.substring(0, eq).trim();
            out.put(tenant, apply(defaults, entry.substring(eq + 1), tenant));
        }
        return out;
    }

    /** The fields a policy spec may set. */
    public static final String FIELDS = "quietMs, maxWaitMs, maxMessages, maxBytes, joiner, typing (on|off), "
            + "typingGraceMs, typingTimeoutMs, adaptive (on|off), adaptiveFloorMs, flushKeywords (a|b|c), "
            + "firstMessage (on|off), onNewMessage (queue|supersede), commitNotBeforeMs, cancelKeywords (a|b|c), "
            + "mediaGraceMs";

    /** "done|that's all" -> [done, that's all]; empty -> none. */
    public static java.util.List<String> keywords(String spec) {
        if (spec == null || spec.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(spec.split("\\|")).map(String::strip).toList();
    }

    private static boolean onOff(String field, String value, String tenant) {
        return switch (value) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException(field + " of tenant " + tenant + " is on or off (got \""
                    + value + "\")");
        };
    }

    /** "queue" or "supersede" (RAPIDFIRE_ON_NEW_MESSAGE) -> whether a new message supersedes the batch with the bot. */
    public static boolean onNewMessage(String value, String what) {
        return switch (value.strip()) {
            case Policy.QUEUE -> false;
            case Policy.SUPERSEDE -> true;
            default -> throw new IllegalArgumentException(what + " is queue or supersede (got \"" + value.strip()
                    + "\"); docs/release-rules.md, one answer per thought");
        };
    }

    /** Applies "quietMs:2000,maxMessages:5" to a base policy; the message names the tenant on error. */
    public static Policy apply(Policy base, String spec, String tenant) {
        Policy p = base;
        {
            for (String kv : spec.split(",")) {
                String[] f = kv.split(":", 2);
                if (f.length != 2) {
                    throw new IllegalArgumentException("field:value pairs for tenant " + tenant + " (got \"" + kv + "\")");
                }
                String field = f[0].trim();
                String value = f[1].trim();
                try {
                    p = switch (field) {
                        case "quietMs" -> p.withQuietMs(Long.parseLong(value));
                        case "maxWaitMs" -> p.withMaxWaitMs(Long.parseLong(value));
                        case "maxMessages" -> p.withMaxMessages(Integer.parseInt(value));
                        case "maxBytes" -> p.withMaxBytes(Integer.parseInt(value));
                        case "joiner" -> p.withJoiner(value);
                        case "typing" -> p.withTyping(onOff(field, value, tenant), p.typingGraceMs(), p.typingTimeoutMs());
                        case "typingGraceMs" -> p.withTyping(p.typing(), Long.parseLong(value), p.typingTimeoutMs());
                        case "typingTimeoutMs" -> p.withTyping(p.typing(), p.typingGraceMs(), Long.parseLong(value));
                        case "adaptive" -> p.withAdaptive(onOff(field, value, tenant), p.adaptiveFloorMs());
                        case "adaptiveFloorMs" -> p.withAdaptive(p.adaptive(), Long.parseLong(value));
                        case "flushKeywords" -> p.withFlushKeywords(keywords(value));
                        case "firstMessage" -> p.withFirstMessageAtOnce(onOff(field, value, tenant));
                        case "onNewMessage" -> p.withSupersede(onNewMessage(value, "onNewMessage of tenant " + tenant));
                        case "commitNotBeforeMs" -> p.withCommitNotBeforeMs(Long.parseLong(value));
                        case "cancelKeywords" -> p.withCancelKeywords(keywords(value));
                        case "mediaGraceMs" -> p.withMediaGraceMs(Long.parseLong(value));
                        default -> throw new IllegalArgumentException("fields " + FIELDS + " for tenant " + tenant
                                + " (got \"" + field + "\")");
                    };
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a whole number for " + field + " of tenant " + tenant
                            + " (got \"" + value + "\")");
                }
            }
        }
        return p;
    }
}
