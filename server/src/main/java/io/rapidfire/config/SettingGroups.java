package io.rapidfire.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which settings must agree between which processes, for the doctor's "configuration digests agree" check.
 * BATCHING: every process of a deployment (an API with another quiet period than the worker is a bug).
 * INGEST: every process that takes webhooks. DELIVERY: every process that delivers. Anything else (port,
 * concurrency, log format) may differ. REDIS_URL is left out: the doctor compares the Redis server and
 * database each process actually sees instead.
 */
public final class SettingGroups {
    public enum Group { BATCHING, INGEST, DELIVERY }

    public static final Set<Setting> BATCHING = EnumSet.of(Setting.RAPIDFIRE_NAMESPACE, Setting.RAPIDFIRE_PARTITIONS,
            Setting.RAPIDFIRE_QUIET_MS, Setting.RAPIDFIRE_MAX_WAIT_MS, Setting.RAPIDFIRE_MAX_MESSAGES,
            Setting.RAPIDFIRE_MAX_BYTES, Setting.RAPIDFIRE_JOINER, Setting.RAPIDFIRE_TENANT_POLICIES,
            Setting.RAPIDFIRE_TYPING, Setting.RAPIDFIRE_TYPING_GRACE_MS, Setting.RAPIDFIRE_TYPING_TIMEOUT_MS,
            Setting.RAPIDFIRE_ADAPTIVE, Setting.RAPIDFIRE_ADAPTIVE_FLOOR_MS, Setting.RAPIDFIRE_FLUSH_KEYWORDS,
            Setting.RAPIDFIRE_FIRST_MESSAGE_AT_ONCE, Setting.RAPIDFIRE_ON_NEW_MESSAGE,
            Setting.RAPIDFIRE_COMMIT_NOT_BEFORE_MS, Setting.RAPIDFIRE_CANCEL_KEYWORDS, Setting.RAPIDFIRE_MEDIA_GRACE_MS,
            Setting.RAPIDFIRE_DEDUP_WINDOW_MS);
    public static final Set<Setting> INGEST = EnumSet.of(Setting.RAPIDFIRE_DEFAULT_TENANT,
            Setting.RAPIDFIRE_DEFAULT_REGION, Setting.RAPIDFIRE_ACCEPT_GROUPS, Setting.RAPIDFIRE_ACCEPT_STATUS,
            Setting.RAPIDFIRE_ACCEPT_FROM_ME, Setting.RAPIDFIRE_HANDOVER_MS, Setting.RAPIDFIRE_HANDOVER_FROM_ME,
            Setting.RAPIDFIRE_HANDOVER_KEYWORDS, Setting.RAPIDFIRE_RESUME_KEYWORDS, Setting.RAPIDFIRE_MEDIA_RELEASES_BATCH, Setting.RAPIDFIRE_WEBHOOK_SECRET,
            Setting.RAPIDFIRE_META_APP_SECRET, Setting.RAPIDFIRE_META_VERIFY_TOKEN,
            Setting.RAPIDFIRE_TELEGRAM_SECRET_TOKEN, Setting.RAPIDFIRE_ADMIN_TOKEN, Setting.RAPIDFIRE_CHANNELS,
            Setting.RAPIDFIRE_MAX_BODY_BYTES, Setting.RAPIDFIRE_BRIDGE_MAX_BODY_BYTES, Setting.RAPIDFIRE_RATE_SENDER_BURST,
            Setting.RAPIDFIRE_RATE_SENDER_PER_MIN, Setting.RAPIDFIRE_RATE_IP_BURST, Setting.RAPIDFIRE_RATE_IP_PER_SEC);
    public static final Set<Setting> DELIVERY = EnumSet.of(Setting.RAPIDFIRE_SINK, Setting.RAPIDFIRE_SINK_URL,
            Setting.RAPIDFIRE_SINK_SECRET, Setting.RAPIDFIRE_SINK_CONNECT_TIMEOUT_MS, Setting.RAPIDFIRE_SINK_TIMEOUT_MS,
            Setting.RAPIDFIRE_STREAM_KEY, Setting.RAPIDFIRE_STREAM_MAXLEN, Setting.RAPIDFIRE_LEASE_MS,
            Setting.RAPIDFIRE_MAX_ATTEMPTS, Setting.RAPIDFIRE_RETRY_BASE_MS, Setting.RAPIDFIRE_RETRY_MAX_MS,
            Setting.RAPIDFIRE_BULLMQ_REDIS_URL, Setting.RAPIDFIRE_BULLMQ_QUEUE, Setting.RAPIDFIRE_BULLMQ_HANDOVER_QUEUE,
            Setting.RAPIDFIRE_BULLMQ_PREFIX,
            Setting.RAPIDFIRE_BULLMQ_JOB_NAME, Setting.RAPIDFIRE_BULLMQ_ATTEMPTS, Setting.RAPIDFIRE_BULLMQ_BACKOFF_MS,
            Setting.RAPIDFIRE_COMMIT_TIMEOUT_MS, Setting.RAPIDFIRE_PUBLIC_URL);

    private SettingGroups() {
    }

    public static Set<Setting> of(Group g) {
        return switch (g) {
            case BATCHING -> BATCHING;
            case INGEST -> INGEST;
            case DELIVERY -> DELIVERY;
        };
    }

    /**
     * What a process publishes about its settings: the value, or for a secret (or a URL carrying credentials) its
     * masked form plus a short hash, so two
     * processes with different secrets differ without either secret being shown.
     */
    public static Map<String, String> published(RapidfireConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            String v = c.get(s);
            String masked = s.mask(v);
            // A secret, or a URL with a credential in it: masked, plus a hash so two processes still compare.
            out.put(s.name(), s.secret() && !v.isEmpty() ? "***#" + sha256(v).substring(0, 8)
                    : masked.equals(v) ? v : masked + " #" + sha256(v).substring(0, 8));
        }
        return out;
    }

    /** Digest of one group of published settings (what the doctor compares first). */
    public static String digest(Map<String, String> published, Group g) {
        StringBuilder b = new StringBuilder();
        for (Setting s : of(g)) {
            b.append(s.name()).append('=').append(published.getOrDefault(s.name(), "")).append('\n');
        }
        return sha256(b.toString()).substring(0, 16);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
