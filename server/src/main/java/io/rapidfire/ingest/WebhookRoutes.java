package io.rapidfire.ingest;

import io.rapidfire.config.WebhookRoute;
import io.rapidfire.core.SharedState;

import java.util.List;

/** Every webhook route ({@link Route}), in the order they are registered and listed. */
final class WebhookRoutes {
    private WebhookRoutes() {
    }

    static List<Route> all(IngestSettings s, SharedState store) {
        Verifier bridge = Verifiers.bridge(s.webhookSecret(), store);
        return List.of(
                new Route("/webhook/whatsapp/batched", WebhookRoute.WHATSAPP, "whatsapp", bridge, WhatsAppShapes::parse,
                        true, false, true),
                new Route("/webhook/whatsapp", WebhookRoute.WHATSAPP, "whatsapp", bridge, WhatsAppShapes::parse,
                        true, true, false),
                new Route("/webhook/whatsapp-cloud", WebhookRoute.WHATSAPP_CLOUD, "whatsapp",
                        Verifiers.meta(s.metaAppSecret(), store, s.dedupWindowMs()), CloudApiFormat::parse, false, false, false),
                new Route("/webhook/telegram", WebhookRoute.TELEGRAM, "telegram", Verifiers.telegram(s.telegramSecretToken()),
                        (body, ctx) -> TelegramFormat.parse(body, ctx, s.acceptGroups()), false, false, false),
                new Route("/webhook/waha", WebhookRoute.WAHA, "whatsapp", Verifiers.waha(s.secretOf(WebhookRoute.WAHA)),
                        WahaFormat::parse, false, false, false),
                new Route("/webhook/chatwoot", WebhookRoute.CHATWOOT, "chatwoot",
                        Verifiers.chatwoot(s.secretOf(WebhookRoute.CHATWOOT), store), ChatwootFormat::parse, false, false, false),
                new Route("/webhook/z-api", WebhookRoute.ZAPI, "whatsapp", Verifiers.zapi(s.secretOf(WebhookRoute.ZAPI)),
                        ZapiFormat::parse, false, false, false),
                // Last: the other /webhook/<name> paths above are matched first.
                new Route("/webhook/{channel}", WebhookRoute.CHANNELS, null, bridge,
                        (body, ctx) -> PresenceFormat.isGeneric(body) ? PresenceFormat.generic(body, ctx)
                                : GenericFormat.parse(body, ctx), false, false, false));
    }

    private static final java.util.regex.Pattern EVENT = java.util.regex.Pattern.compile("[a-z0-9-]{1,40}");
    private static final java.util.regex.Pattern CHANNEL = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** The {event} of a by-event route (Evolution API's webhook by events, e.g. messages-upsert): a-z 0-9 -, 1-40. */
    static boolean isEvent(String event) {
        return EVENT.matcher(event).matches();
    }

    /** The {channel} of /webhook/{channel}: a channel name, and configured when RAPIDFIRE_CHANNELS lists them. */
    static boolean isChannel(IngestSettings s, String ch) {
        return CHANNEL.matcher(ch).matches() && (s.channels().isEmpty() || s.channels().contains(ch));
    }

    /** "POST a, POST b": the paths served under one operator's name, for messages and the protection table. */
    static String paths(List<Route> routes, WebhookRoute named) {
        return String.join(", ", routes.stream().filter(r -> r.named() == named).map(r -> "POST " + r.path()).toList());
    }

    /** What is checked on the routes of this name, for people (the same verifier serves them all). */
    static String check(List<Route> routes, WebhookRoute named) {
        return routes.stream().filter(r -> r.named() == named).findFirst().orElseThrow().verifier().describe();
    }
}
