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
                        default -> throw new IllegalArgumentException("fields quietMs, maxWaitMs, maxMessages, "
                                + "maxBytes, joiner for tenant " + tenant + " (got \"" + field + "\")");
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
