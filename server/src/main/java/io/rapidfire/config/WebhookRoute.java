package io.rapidfire.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The webhook routes as the operator names them in RAPIDFIRE_OPEN_ROUTES, each with the secret that verifies it.
 * Lives with the settings because RAPIDFIRE_OPEN_ROUTES is checked against it at startup. A route is served only when its secret is set (every request must be signed) or when the operator declared it
 * open; otherwise it answers 401 saying which of the two to set. A secret always wins: a route listed as open
 * whose secret is set still needs the signature.
 */
public enum WebhookRoute {
    WHATSAPP("whatsapp", "POST /webhook/whatsapp/batched, POST /webhook/whatsapp", "RAPIDFIRE_WEBHOOK_SECRET",
            "bridge signature (x-signature, x-timestamp)"),
    WHATSAPP_CLOUD("whatsapp-cloud", "POST /webhook/whatsapp-cloud", "RAPIDFIRE_META_APP_SECRET",
            "Meta's X-Hub-Signature-256"),
    TELEGRAM("telegram", "POST /webhook/telegram", "RAPIDFIRE_TELEGRAM_SECRET_TOKEN",
            "X-Telegram-Bot-Api-Secret-Token"),
    CHANNELS("channels", "POST /webhook/{channel}", "RAPIDFIRE_WEBHOOK_SECRET",
            "bridge signature (x-signature, x-timestamp)"),
    WAHA("waha", "POST /webhook/waha", "RAPIDFIRE_WAHA_HMAC_KEY", "WAHA's X-Webhook-Hmac (HMAC-SHA512 of the body)"),
    CHATWOOT("chatwoot", "POST /webhook/chatwoot", "RAPIDFIRE_CHATWOOT_SECRET",
            "Chatwoot's X-Chatwoot-Signature (HMAC-SHA256 of timestamp.body)"),
    ZAPI("z-api", "POST /webhook/z-api", "RAPIDFIRE_ZAPI_TOKEN", "?token= in the webhook URL (Z-API signs nothing)");

    /** Its name in RAPIDFIRE_OPEN_ROUTES. */
    public final String label;
    public final String paths;
    /** The setting holding the secret that verifies it. */
    public final String secretSetting;
    public final String check;

    WebhookRoute(String label, String paths, String secretSetting, String check) {
        this.label = label;
        this.paths = paths;
        this.secretSetting = secretSetting;
        this.check = check;
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
