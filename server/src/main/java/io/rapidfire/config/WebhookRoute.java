package io.rapidfire.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The webhook routes as the operator names them in RAPIDFIRE_OPEN_ROUTES, each with the setting of the secret that
 * verifies it; the rest of what a route is (paths, verifier, format) is its descriptor, ingest/WebhookRoutes.
 * Lives with the settings because RAPIDFIRE_OPEN_ROUTES is checked against it at startup. A route is served only when its secret is set (every request must be signed) or when the operator declared it
 * open; otherwise it answers 401 saying which of the two to set. A secret always wins: a route listed as open
 * whose secret is set still needs the signature.
 */
public enum WebhookRoute {
    WHATSAPP("whatsapp", "RAPIDFIRE_WEBHOOK_SECRET"),
    WHATSAPP_CLOUD("whatsapp-cloud", "RAPIDFIRE_META_APP_SECRET"),
    TELEGRAM("telegram", "RAPIDFIRE_TELEGRAM_SECRET_TOKEN"),
    CHANNELS("channels", "RAPIDFIRE_WEBHOOK_SECRET"),
    WAHA("waha", "RAPIDFIRE_WAHA_HMAC_KEY"),
    CHATWOOT("chatwoot", "RAPIDFIRE_CHATWOOT_SECRET"),
    ZAPI("z-api", "RAPIDFIRE_ZAPI_TOKEN");

    /** Its name in RAPIDFIRE_OPEN_ROUTES. */
    public final String label;
    /** The setting holding the secret that verifies it. */
    public final String secretSetting;

    WebhookRoute(String label, String secretSetting) {
        this.label = label;
        this.secretSetting = secretSetting;
    }

    /** What RAPIDFIRE_OPEN_ROUTES accepts, for people. */
    public static final String ACCEPTS = "all, none, or a comma list of "
            + String.join(", ", Arrays.stream(values()).map(r -> r.label).toList());

    /** Parses RAPIDFIRE_OPEN_ROUTES ("all", "none", "" or names); IllegalArgumentException names what is accepted. */
    public static Set<WebhookRoute> parse(String list) {
        Set<WebhookRoute> out = EnumSet.noneOf(WebhookRoute.class);
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("none")) {
                continue;
            }
            if (name.equals("all")) {
                out.addAll(List.of(values()));
                continue;
            }
            WebhookRoute found = Arrays.stream(values()).filter(r -> r.label.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown route '" + raw.trim()
                            + "'; accepted: " + ACCEPTS));
            out.add(found);
        }
        return out;
    }
}
