package io.rapidfire.config;

import io.rapidfire.core.TenantPolicies;

import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The effective configuration: one immutable object, validated once at startup (HikariConfig's habit).
 * Build it with {@link ConfigLoader}; {@link #dump()} is what gets logged, secrets masked.
 */
public record RapidfireConfig(Map<Setting, String> values, Map<Setting, String> sources, OtelSettings otel) {

    public RapidfireConfig {
        values = Map.copyOf(values);
        sources = Map.copyOf(sources);
        otel = otel == null ? new OtelSettings(Map.of()) : otel;
    }

    public RapidfireConfig(Map<Setting, String> values, Map<Setting, String> sources) {
        this(values, sources, null);
    }

    public String get(Setting s) {
        return values.get(s);
    }

    public long getLong(Setting s) {
        return Long.parseLong(values.get(s).trim());
    }

    public int getInt(Setting s) {
        return Integer.parseInt(values.get(s).trim());
    }

    public boolean getBool(Setting s) {
        return Boolean.parseBoolean(values.get(s).trim());
    }

    public boolean usesRedis() {
        return !get(Setting.REDIS_URL).isEmpty();
    }

    public Policy defaultPolicy() {
        return defaultPolicy(values::get);
    }

    /** The default policy from raw setting values (validated ones: the loader checks each first). */
    public static Policy defaultPolicy(java.util.function.Function<Setting, String> v) {
        return new Policy(Long.parseLong(v.apply(Setting.RAPIDFIRE_QUIET_MS).trim()),
                Long.parseLong(v.apply(Setting.RAPIDFIRE_MAX_WAIT_MS).trim()),
                Integer.parseInt(v.apply(Setting.RAPIDFIRE_MAX_MESSAGES).trim()),
                Integer.parseInt(v.apply(Setting.RAPIDFIRE_MAX_BYTES).trim()), v.apply(Setting.RAPIDFIRE_JOINER),
                Boolean.parseBoolean(v.apply(Setting.RAPIDFIRE_TYPING).trim()),
                Long.parseLong(v.apply(Setting.RAPIDFIRE_TYPING_GRACE_MS).trim()),
                Long.parseLong(v.apply(Setting.RAPIDFIRE_TYPING_TIMEOUT_MS).trim()),
                Boolean.parseBoolean(v.apply(Setting.RAPIDFIRE_ADAPTIVE).trim()),
                Long.parseLong(v.apply(Setting.RAPIDFIRE_ADAPTIVE_FLOOR_MS).trim()),
                io.rapidfire.core.TenantPolicies.keywords(v.apply(Setting.RAPIDFIRE_FLUSH_KEYWORDS)),
                Boolean.parseBoolean(v.apply(Setting.RAPIDFIRE_FIRST_MESSAGE_AT_ONCE).trim()),
                io.rapidfire.core.TenantPolicies.onNewMessage(v.apply(Setting.RAPIDFIRE_ON_NEW_MESSAGE),
                        "RAPIDFIRE_ON_NEW_MESSAGE"),
                Long.parseLong(v.apply(Setting.RAPIDFIRE_COMMIT_NOT_BEFORE_MS).trim()),
                io.rapidfire.core.TenantPolicies.keywords(v.apply(Setting.RAPIDFIRE_CANCEL_KEYWORDS)),
                Long.parseLong(v.apply(Setting.RAPIDFIRE_MEDIA_GRACE_MS).trim()));
    }

    /** Where and how the bullmq sink writes jobs (the sink and the doctor's bullmq line read the same). */
    public io.rapidfire.delivery.bullmq.BullmqSettings bullmq() {
        return new io.rapidfire.delivery.bullmq.BullmqSettings(get(Setting.RAPIDFIRE_BULLMQ_QUEUE),
                get(Setting.RAPIDFIRE_BULLMQ_PREFIX), get(Setting.RAPIDFIRE_BULLMQ_JOB_NAME),
                getInt(Setting.RAPIDFIRE_BULLMQ_ATTEMPTS), getLong(Setting.RAPIDFIRE_BULLMQ_BACKOFF_MS),
                getLong(Setting.RAPIDFIRE_DEDUP_WINDOW_MS), get(Setting.RAPIDFIRE_BULLMQ_HANDOVER_QUEUE));
    }

    public Policies policies() {
        Policy d = defaultPolicy();
        return new Policies(d, TenantPolicies.parse(get(Setting.RAPIDFIRE_TENANT_POLICIES), d));
    }

    /** One line per setting, secrets masked, with where each value came from. */
    public String dump() {
        StringJoiner j = new StringJoiner("\n  ", "Effective configuration:\n  ", "");
        for (Setting s : Setting.values()) {
            j.add(s.name() + "=" + quoteIfNeeded(s.mask(values.get(s))) + "  (" + sources.get(s) + ")");
        }
        return j + otel.dump();
    }

    /** The settings as a map, secrets masked (for registries and digests). */
    public Map<Setting, String> masked() {
        Map<Setting, String> out = new EnumMap<>(Setting.class);
        values.forEach((k, v) -> out.put(k, k.mask(v)));
        return out;
    }

    private static String quoteIfNeeded(String v) {
        return v.isEmpty() || v.isBlank() || !v.strip().equals(v) ? "\"" + v + "\"" : v;
    }
}
