package io.rapidfire.ingest;

import io.rapidfire.http.EdgeSettings;

import io.rapidfire.config.WebhookRoute;

import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The webhook side's settings, read once from the configuration. Empty secrets mean "not configured". */
public record IngestSettings(String defaultTenant, String region, boolean acceptGroups, boolean acceptStatus,
                             boolean acceptFromMe, boolean mediaReleases, String webhookSecret, String metaAppSecret,
                             String metaVerifyToken, String telegramSecretToken, String adminToken, int maxBodyBytes,
                             int senderBurst, double senderPerSecond, int ipBurst, double ipPerSecond,
                             List<String> channels, boolean requireWorker, List<String> adminTrusted,
                             Set<WebhookRoute> openRoutes, List<String> openFrom,
                             long dedupWindowMs, String adminReadToken, EdgeSettings edge,
                             Map<WebhookRoute, String> ownSecrets) {

    /**
     * @param api true for `rapidfire api` (readiness needs a live worker; routes are open only as configured); false
     *            for the standalone process, which, when RAPIDFIRE_OPEN_ROUTES is left at its default, opens every
     *            route to loopback callers so the quick start works with nothing set, and to nobody else
     */
    public static IngestSettings from(RapidfireConfig c, boolean api) {
        boolean requireWorker = api;
        String ch = c.get(Setting.RAPIDFIRE_CHANNELS).trim();
        boolean quickStart = !api && "default".equals(c.sources().get(Setting.RAPIDFIRE_OPEN_ROUTES));
        Set<WebhookRoute> open = quickStart ? EnumSet.allOf(WebhookRoute.class)
                : WebhookRoute.parse(c.get(Setting.RAPIDFIRE_OPEN_ROUTES));
        return new IngestSettings(c.get(Setting.RAPIDFIRE_DEFAULT_TENANT), c.get(Setting.RAPIDFIRE_DEFAULT_REGION),
                c.getBool(Setting.RAPIDFIRE_ACCEPT_GROUPS), c.getBool(Setting.RAPIDFIRE_ACCEPT_STATUS),
                c.getBool(Setting.RAPIDFIRE_ACCEPT_FROM_ME), c.getBool(Setting.RAPIDFIRE_MEDIA_RELEASES_BATCH),
                c.get(Setting.RAPIDFIRE_WEBHOOK_SECRET), c.get(Setting.RAPIDFIRE_META_APP_SECRET),
                c.get(Setting.RAPIDFIRE_META_VERIFY_TOKEN), c.get(Setting.RAPIDFIRE_TELEGRAM_SECRET_TOKEN),
                c.get(Setting.RAPIDFIRE_ADMIN_TOKEN), c.getInt(Setting.RAPIDFIRE_MAX_BODY_BYTES),
                c.getInt(Setting.RAPIDFIRE_RATE_SENDER_BURST), c.getLong(Setting.RAPIDFIRE_RATE_SENDER_PER_MIN) / 60.0,
                c.getInt(Setting.RAPIDFIRE_RATE_IP_BURST), c.getLong(Setting.RAPIDFIRE_RATE_IP_PER_SEC),
                ch.equals("*") ? List.of() : list(ch), requireWorker, list(c.get(Setting.RAPIDFIRE_ADMIN_TRUSTED)),
                open, quickStart ? List.of("loopback") : List.of(), c.getLong(Setting.RAPIDFIRE_DEDUP_WINDOW_MS),
                c.get(Setting.RAPIDFIRE_ADMIN_READ_TOKEN), edge(c), ownSecrets(c));
    }

    /** The secrets of the routes that have one of their own (WAHA, Chatwoot, Z-API), by the setting each names. */
    private static Map<WebhookRoute, String> ownSecrets(RapidfireConfig c) {
        Map<WebhookRoute, String> out = new java.util.EnumMap<>(WebhookRoute.class);
        for (WebhookRoute r : WebhookRoute.values()) {
            if (!SHARED_SECRETS.contains(r.secretSetting)) {
                out.put(r, c.get(Setting.valueOf(r.secretSetting)));
            }
        }
        // The WhatsApp route's second credential, beside the bridge signature (RAPIDFIRE_WEBHOOK_SECRET).
        out.put(WebhookRoute.WHATSAPP, c.get(Setting.RAPIDFIRE_BRIDGE_TOKEN));
        return Map.copyOf(out);
    }

    /** The secrets held in fields of their own; every other route's secret is in ownSecrets, by its setting. */
    private static final Set<String> SHARED_SECRETS = Set.of("RAPIDFIRE_WEBHOOK_SECRET", "RAPIDFIRE_META_APP_SECRET",
            "RAPIDFIRE_TELEGRAM_SECRET_TOKEN");

    private static EdgeSettings edge(RapidfireConfig c) {
        return new EdgeSettings(list(c.get(Setting.RAPIDFIRE_TRUSTED_PROXIES)), c.get(Setting.RAPIDFIRE_FORWARDED_HEADER),
                list(c.get(Setting.RAPIDFIRE_ALLOWED_HOSTS)), c.getInt(Setting.RAPIDFIRE_MAX_CONNECTIONS),
                c.getLong(Setting.RAPIDFIRE_IDLE_TIMEOUT_MS), c.getLong(Setting.RAPIDFIRE_REQUEST_TIMEOUT_MS),
                c.getLong(Setting.RAPIDFIRE_BRIDGE_MAX_BODY_BYTES), c.getInt(Setting.RAPIDFIRE_MAX_INFLIGHT_REQUESTS));
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Defaults for tests and embedding, as the standalone quick start: nothing secret configured, every route open
     * to loopback callers only, admin to loopback only, generous limits.
     */
    public static IngestSettings defaults() {
        return new IngestSettings("default", "RU", false, false, false, false, "", "", "", "", "", 1_048_576,
                60, 1.0, 2_000, 500, List.of(), false, List.of("loopback"), EnumSet.allOf(WebhookRoute.class),
                List.of("loopback"), io.rapidfire.core.Tunables.DEDUP_WINDOW_MS.defaultValue(), "", EdgeSettings.defaults(), Map.of());
    }

    /** RAPIDFIRE_BRIDGE_TOKEN: the WhatsApp bridge route's bearer token (BridgeTokens); empty when not set. */
    public String bridgeToken() {
        return ownSecrets.getOrDefault(WebhookRoute.WHATSAPP, "");
    }

    /** Whether a route takes only authenticated requests: its secret, or for WhatsApp the bridge token, is set. */
    public boolean guarded(WebhookRoute r) {
        return !secretOf(r).isEmpty() || r == WebhookRoute.WHATSAPP && !bridgeToken().isEmpty();
    }

    public IngestSettings withBridgeToken(String token) {
        Map<WebhookRoute, String> secrets = new java.util.EnumMap<>(WebhookRoute.class);
        secrets.putAll(ownSecrets);
        secrets.put(WebhookRoute.WHATSAPP, token);
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, adminTrusted, openRoutes, openFrom,
                dedupWindowMs, adminReadToken, edge, Map.copyOf(secrets));
    }

    /** The secret that verifies a route; empty when not set. */
    public String secretOf(WebhookRoute r) {
        return switch (r.secretSetting) {
            case "RAPIDFIRE_WEBHOOK_SECRET" -> webhookSecret;
            case "RAPIDFIRE_META_APP_SECRET" -> metaAppSecret;
            case "RAPIDFIRE_TELEGRAM_SECRET_TOKEN" -> telegramSecretToken;
            default -> ownSecrets.getOrDefault(r, ""); // a platform with a secret of its own (WAHA, Chatwoot, Z-API)
        };
    }

    /**
     * Routes served without a signature, and to whom: {@code from} empty = anyone; else "loopback" and/or
     * addresses (tests narrow it to see an outside caller refused while all traffic stays on 127.0.0.1).
     */
    public IngestSettings withOpenRoutes(Set<WebhookRoute> routes, List<String> from) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, adminTrusted, Set.copyOf(routes),
                List.copyOf(from), dedupWindowMs, adminReadToken, edge, ownSecrets);
    }

    public IngestSettings withSecrets(String webhook, String meta, String verify, String telegram, String admin) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases, webhook,
                meta, verify, telegram, admin, maxBodyBytes, senderBurst, senderPerSecond, ipBurst, ipPerSecond, channels,
                requireWorker, adminTrusted, openRoutes, openFrom, dedupWindowMs, adminReadToken, edge, ownSecrets);
    }

    /** Without an admin token, who may use the admin routes ("loopback" and/or IP addresses). */
    public IngestSettings withAdminTrusted(List<String> trusted) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, List.copyOf(trusted), openRoutes,
                openFrom, dedupWindowMs, adminReadToken, edge, ownSecrets);
    }

    public IngestSettings withLimits(int maxBody, int sBurst, double sPerSec, int iBurst, double iPerSec) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBody, sBurst, sPerSec,
                iBurst, iPerSec, channels, requireWorker, adminTrusted, openRoutes, openFrom, dedupWindowMs, adminReadToken, edge, ownSecrets);
    }

    public IngestSettings withSwitches(boolean groups, boolean status, boolean fromMe, boolean media, List<String> chans) {
        return new IngestSettings(defaultTenant, region, groups, status, fromMe, media, webhookSecret, metaAppSecret,
                metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst, senderPerSecond, ipBurst,
                ipPerSecond, chans, requireWorker, adminTrusted, openRoutes, openFrom, dedupWindowMs, adminReadToken, edge, ownSecrets);
    }

    /** The read-only admin token (RAPIDFIRE_ADMIN_READ_TOKEN): reads, masked; never acts. */
    public IngestSettings withAdminReadToken(String token) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, adminTrusted, openRoutes, openFrom,
                dedupWindowMs, token, edge, ownSecrets);
    }




    /** The secret of a route that has one of its own (WAHA's HMAC key, Chatwoot's secret, Z-API's URL token). */
    public IngestSettings withRouteSecret(WebhookRoute route, String secret) {
        if (SHARED_SECRETS.contains(route.secretSetting)) {
            throw new IllegalArgumentException(route + " shares its secret with other routes: use withSecrets");
        }
        Map<WebhookRoute, String> secrets = new java.util.EnumMap<>(WebhookRoute.class);
        secrets.putAll(ownSecrets);
        secrets.put(route, secret);
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, adminTrusted, openRoutes, openFrom,
                dedupWindowMs, adminReadToken, edge, Map.copyOf(secrets));
    }

    public IngestSettings withEdge(EdgeSettings e) {
        return new IngestSettings(defaultTenant, region, acceptGroups, acceptStatus, acceptFromMe, mediaReleases,
                webhookSecret, metaAppSecret, metaVerifyToken, telegramSecretToken, adminToken, maxBodyBytes, senderBurst,
                senderPerSecond, ipBurst, ipPerSecond, channels, requireWorker, adminTrusted, openRoutes, openFrom,
                dedupWindowMs, adminReadToken, e, ownSecrets);
    }

    /** Whether a token guards the admin routes: then every admin route needs one, reads included, from anywhere. */
    public boolean adminTokenSet() {
        return !adminToken.isEmpty();
    }

    /** Each route's protection as configured, one line each, for the startup log and the security docs. */
    public List<String> protection() {
        List<String> lines = new java.util.ArrayList<>();
        List<Route> routes = WebhookRoutes.all(this, null); // read for their paths and checks only
        for (WebhookRoute r : WebhookRoute.values()) {
            String state;
            String token = r == WebhookRoute.WHATSAPP && !bridgeToken().isEmpty()
                    ? "Authorization: Bearer RAPIDFIRE_BRIDGE_TOKEN (or an HS256 JWT signed with it)" : null;
            if (!secretOf(r).isEmpty()) {
                state = "signed: " + WebhookRoutes.check(routes, r) + " with " + r.secretSetting + (token == null ? "" : ", or " + token);
            } else if (token != null) {
                state = "token: " + token;
            } else if (openRoutes.contains(r)) {
                state = !openFrom.isEmpty() ? "open to " + String.join(",", openFrom) + " callers only (standalone "
                        + "default; anyone else gets 401)" : "OPEN to anyone who reaches the port (RAPIDFIRE_OPEN_ROUTES lists " + r.label + ")";
            } else {
                state = "closed: 401 until " + r.secretSetting + " is set or " + r.label + " is listed in "
                        + "RAPIDFIRE_OPEN_ROUTES";
            }
            lines.add(String.format("%-55s %s", WebhookRoutes.paths(routes, r), state));
        }
        lines.add(String.format("%-55s %s", "admin: stats, clear, flush, policies, /admin/*", adminToken.isEmpty()
                ? "no token: only from " + (adminTrusted.isEmpty() ? "nowhere" : String.join(",", adminTrusted))
                + " (RAPIDFIRE_ADMIN_TRUSTED), direct and under a Host naming this server: may act, reads masked; 403 otherwise"
                : "token: every route, reads included, needs Authorization: Bearer <RAPIDFIRE_ADMIN_TOKEN>"
                + (adminReadToken.isEmpty() ? "" : "; RAPIDFIRE_ADMIN_READ_TOKEN reads, masked")));
        lines.add(String.format("%-55s %s", "client address (limits, throttles, trust)", edge.trustedProxies().isEmpty()
                ? "the socket's peer; X-Forwarded-For ignored (RAPIDFIRE_TRUSTED_PROXIES is empty)"
                : "from " + edge.forwardedHeader() + " when the peer is in RAPIDFIRE_TRUSTED_PROXIES ("
                + String.join(",", edge.trustedProxies()) + "), else the peer"));
        lines.add(String.format("%-55s %s", "GET /webhook/whatsapp-cloud (Meta's handshake)", metaVerifyToken.isEmpty()
                ? "403 until RAPIDFIRE_META_VERIFY_TOKEN is set" : "answers the token RAPIDFIRE_META_VERIFY_TOKEN"));
        lines.add(String.format("%-55s %s", "GET /health/*, /metrics", "open: counts and states, no message data"));
        return lines;
    }

    /** Whether some route takes unsigned messages from any address. */
    public boolean openToAnyone() {
        return openFrom.isEmpty() && openRoutes.stream().anyMatch(r -> secretOf(r).isEmpty());
    }
}
