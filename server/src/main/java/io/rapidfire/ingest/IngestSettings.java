package io.rapidfire.ingest;

import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;

import java.util.Arrays;
import java.util.List;

/** The webhook side's settings, read once from the configuration. Empty secrets mean "not configured". */
public record IngestSettings(String defaultTenant, String region, boolean acceptGroups, boolean acceptStatus,
                             boolean acceptFromMe, boolean mediaReleases, String webhookSecret, String metaAppSecret,
                             String metaVerifyToken, String telegramSecretToken, String adminToken, int maxBodyBytes,
                             int senderBurst, double senderPerSecond, int ipBurst, double ipPerSecond,
                             List<String> channels, boolean requireWorker, List<String> adminTrusted) {

    public static IngestSettings from(RapidfireConfig c, boolean requireWorker) {
        String ch = c.get(Setting.RAPIDFIRE_CHANNELS).trim();
        return new IngestSettings(c.get(Setting.RAPIDFIRE_DEFAULT_TENANT), c.get(Setting.RAPIDFIRE_DEFAULT_REGION),
                c.getBool(Setting.RAPIDFIRE_ACCEPT_GROUPS), c.getBool(Setting.RAPIDFIRE_ACCEPT_STATUS),
                c.getBool(Setting.RAPIDFIRE_ACCEPT_FROM_ME), c.getBool(Setting.RAPIDFIRE_MEDIA_RELEASES_BATCH),
                c.get(Setting.RAPIDFIRE_WEBHOOK_SECRET), c.get(Setting.RAPIDFIRE_META_APP_SECRET),
                c.get(Setting.RAPIDFIRE_META_VERIFY_TOKEN), c.get(Setting.RAPIDFIRE_TELEGRAM_SECRET_TOKEN),
                c.get(Setting.RAPIDFIRE_ADMIN_TOKEN), c.getInt(Setting.RAPIDFIRE_MAX_BODY_BYTES),
                c.getInt(Setting.RAPIDFIRE_RATE_SENDER_BURST), c.getLong(Setting.RAPIDFIRE_RATE_SENDER_PER_MIN) / 60.0,
                c.getInt(Setting.RAPIDFIRE_RATE_IP_BURST), c.getLong(Setting.RAPIDFIRE_RATE_IP_PER_SEC),
                ch.equals("*") ? List.of() : list(ch), requireWorker, list(c.get(Setting.RAPIDFIRE_ADMIN_TRUSTED)));
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Defaults for tests and embedding: nothing secret configured, generous limits. */
    public static IngestSettings defaults() {
        return new IngestSettings("default", "RU", false, false, false, false, "", "", "", "", "", 1_048_576,
                60, 1.0, 2_000, 500, List.of(), false, List.of("loopback"));
    }

    public IngestSettings withSecrets(String webhook, String meta, String verify, String telegram, String admin) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases, webhook,
                meta, verify, telegram, admin, maxBodyBytes, senderBurst, senderPerSecond, ipBurst, ipPerSecond, channels,
                requireWorker, adminTrusted);
    }

    /** Without an admin token, who may use the admin routes ("loopback" and/or IP addresses). */
    public IngestSettings withAdminTrusted(List<String> trusted) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, List.copyOf(trusted));
    }

    public IngestSettings withLimits(int maxBody, int sBurst, double sPerSec, int iBurst, double iPerSec) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBody, sBurst, sPerSec,
                iBurst, iPerSec, channels, requireWorker, adminTrusted);
    }

    public IngestSettings withSwitches(boolean groups, boolean status, boolean fromMe, boolean media, List<String> chans) {
        return new IngestSettings(defaultTenant, region, groups, status, fromMe, media, webhookSecret, metaAppSecret,
                metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst, senderPerSecond, ipBurst,
                ipPerSecond, chans, requireWorker, adminTrusted);
    }
}
