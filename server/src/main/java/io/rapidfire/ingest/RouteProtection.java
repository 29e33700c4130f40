package io.rapidfire.ingest;

import io.javalin.http.Context;
import io.rapidfire.config.WebhookRoute;
import io.rapidfire.core.Message;
import io.rapidfire.core.SharedState;

import java.util.List;

/**
 * Who may post to a webhook route, in one place: a route with its secret set takes only requests its platform signed
 * (the bridge scheme, Meta's, Telegram's token, WAHA's HMAC, Chatwoot's, Z-API's URL token); a route without one
 * only when declared open (RAPIDFIRE_OPEN_ROUTES), to anyone or, the standalone default, to trusted callers.
 * Checked in two steps around the body read: {@link #checkCaller} on the headers first, {@link #checkSignature}
 * over the body once read. Fixed tokens (Telegram's, Z-API's) have their wrong guesses throttled per client.
 */
final class RouteProtection {
    private final IngestSettings settings;
    private final SharedState store;
    private final EdgeRules edge;
    /** Telegram's secret token is one fixed string on every request: wrong guesses are throttled like the admin's. */
    private final FailedAttempts telegramFailures = new FailedAttempts("signature_rate_limited",
            "X-Telegram-Bot-Api-Secret-Token attempts");
    /** Z-API's ?token= is a fixed string too. */
    private final FailedAttempts zapiFailures = new FailedAttempts("signature_rate_limited", "Z-API ?token= attempts");

    /** The WhatsApp route's bearer token is a fixed string too (or a JWT made with one). */
    private final FailedAttempts bridgeTokenFailures = new FailedAttempts("signature_rate_limited",
            "Authorization: Bearer attempts on the WhatsApp bridge route");
    /** Set on a request the bridge token let in: no body signature to check. */
    private static final String BY_TOKEN = "rapidfire.byBridgeToken";

    RouteProtection(IngestSettings settings, SharedState store, EdgeRules edge) {
        this.settings = settings;
        this.store = store;
        this.edge = edge;
    }

    /**
     * Header-only, before the body is read: 401 unless the route is declared open to this caller (no secret), or the
     * request carries its platform's signature headers (a bridge timestamp within the window); Telegram's secret
     * token, a header, is compared here whole, and wrong ones are throttled per client.
     */
    void checkCaller(Context ctx, RequestHead head, String client, WebhookServer.Route route) {
        if (route.named == WebhookRoute.WHATSAPP && !settings.bridgeToken().isEmpty()
                && (ctx.header("Authorization") != null || settings.secretOf(route.named).isEmpty())) {
            checkBridgeToken(ctx, client);
            return;
        }
        if (settings.secretOf(route.named).isEmpty()) {
            requireOpen(head, client, route.named);
            return;
        }
        String problem = switch (route) {
            case CLOUD -> Signatures.metaHeaderProblem(ctx.header("X-Hub-Signature-256"));
            case WAHA -> Signatures.wahaHeaderProblem(ctx.header("X-Webhook-Hmac"), ctx.header("X-Webhook-Hmac-Algorithm"));
            case ZAPI -> {
                // A fixed string like Telegram's token: throttled the same way, per client.
                zapiFailures.checkAllowed(client);
                String token = ctx.queryParam("token");
                String p = token == null ? "missing ?token= in the URL (RAPIDFIRE_ZAPI_TOKEN is set: give Z-API the "
                        + "webhook URL .../webhook/z-api?token=<RAPIDFIRE_ZAPI_TOKEN>)"
                        : Signatures.sameToken(settings.secretOf(WebhookRoute.ZAPI), token) ? null : "?token= does not match RAPIDFIRE_ZAPI_TOKEN";
                if (p != null && token != null) {
                    zapiFailures.failed(client);
                }
                yield p;
            }
            case CHATWOOT -> Signatures.chatwootHeaderProblem(ctx.header("X-Chatwoot-Timestamp"),
                    ctx.header("X-Chatwoot-Signature"), System.currentTimeMillis());
            case TELEGRAM -> {
                telegramFailures.checkAllowed(client);
                String token = ctx.header("X-Telegram-Bot-Api-Secret-Token");
                String p = Signatures.telegram(settings.telegramSecretToken(), token);
                if (p != null && token != null) {
                    telegramFailures.failed(client);
                }
                yield p;
            }
            default -> Signatures.bridgeHeaderProblem(ctx.header("x-timestamp"), ctx.header("x-signature"),
                    System.currentTimeMillis());
        };
        if (problem != null) {
            throw new WebhookServer.Unauthorized("signature", "signature check failed: " + problem + "; nothing stored");
        }
    }

    /** The bridge token (BridgeTokens): let in, or 401 naming what is wrong; wrong ones throttled per client. */
    private void checkBridgeToken(Context ctx, String client) {
        bridgeTokenFailures.checkAllowed(client);
        String authorization = ctx.header("Authorization");
        String problem = authorization == null ? "missing Authorization: Bearer <RAPIDFIRE_BRIDGE_TOKEN> (give the "
                + "bridge's webhook that header, e.g. Evolution API's webhook headers, or its jwt_key = the token)"
                : BridgeTokens.problem(settings.bridgeToken(), authorization, System.currentTimeMillis());
        if (problem != null) {
            if (authorization != null) {
                bridgeTokenFailures.failed(client);
            }
            throw new WebhookServer.Unauthorized("signature", "signature check failed: " + problem + "; nothing stored");
        }
        ctx.attribute(BY_TOKEN, Boolean.TRUE);
    }

    private static boolean byToken(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(BY_TOKEN));
    }

    /**
     * Over the body, once read: 401 when a signed route's signature does not match; returns the replay marks to set
     * once the request is stored. Routes without a secret and Telegram's token were settled by {@link #checkCaller}.
     */
    Signatures.Replay checkSignature(Context ctx, WebhookServer.Route route, byte[] raw, String tenant) {
        return checkSignature(ctx, route, new BridgeBody.Body(raw, null), tenant);
    }

    /**
     * For a route whose body is read as a stream (the WhatsApp bridge route, BridgeBody): the signature's HMAC to feed
     * the body to as it is read; null when the route is not signed.
     */
    javax.crypto.Mac streamingMac(Context ctx, WebhookServer.Route route) {
        if (settings.secretOf(route.named).isEmpty() || byToken(ctx)) {
            return null;
        }
        return Signatures.bridgeMac(settings.webhookSecret(), ctx.method().name(), signedUrl(ctx), ctx.header("x-timestamp"));
    }

    private static String signedUrl(Context ctx) {
        String query = ctx.queryString();
        return query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
    }

    /** As above, for a body that may have been streamed: then its digest was computed as it was read. */
    Signatures.Replay checkSignature(Context ctx, WebhookServer.Route route, BridgeBody.Body body, String tenant) {
        if (byToken(ctx)) {
            return null;
        }
        byte[] raw = body.json();
        if (settings.secretOf(route.named).isEmpty() || route == WebhookServer.Route.TELEGRAM || route == WebhookServer.Route.ZAPI) {
            return null;
        }
        String problem;
        Signatures.Replay replay = null;
        if (route == WebhookServer.Route.CHATWOOT) {
            problem = Signatures.chatwoot(settings.secretOf(WebhookRoute.CHATWOOT), ctx.header("X-Chatwoot-Timestamp"),
                    ctx.header("X-Chatwoot-Signature"), raw, System.currentTimeMillis(), store);
            replay = problem == null ? Signatures.bridgeReplay(ctx.header("X-Chatwoot-Signature")) : null;
        } else if (route == WebhookServer.Route.WAHA) {
            // WAHA signs only the body: a captured request could be posted again, so its messages are
            // de-duplicated by id and old ones ignored (withoutStale), like Meta's.
            problem = Signatures.waha(settings.secretOf(WebhookRoute.WAHA), ctx.header("X-Webhook-Hmac"),
                    ctx.header("X-Webhook-Hmac-Algorithm"), raw);
        } else if (route == WebhookServer.Route.CLOUD) {
            String header = ctx.header("X-Hub-Signature-256");
            problem = Signatures.meta(settings.metaAppSecret(), header, raw);
            if (problem == null) {
                problem = Signatures.metaTenant(header, tenant, store);
                replay = Signatures.metaReplay(header, tenant, settings.dedupWindowMs());
            }
        } else {
            String url = signedUrl(ctx);
            problem = body.digest() != null
                    ? Signatures.bridgeDigest(ctx.method().name(), url, ctx.header("x-timestamp"), ctx.header("x-signature"),
                    body.digest(), System.currentTimeMillis(), store)
                    : Signatures.bridge(settings.webhookSecret(), ctx.method().name(), url,
                    ctx.header("x-timestamp"), ctx.header("x-signature"), raw, System.currentTimeMillis(), store);
            replay = problem == null ? Signatures.bridgeReplay(ctx.header("x-signature")) : null;
        }
        if (problem != null) {
            throw new WebhookServer.Unauthorized("signature", "signature check failed: " + problem + "; nothing stored");
        }
        return replay;
    }

    /**
     * Cloud API, Telegram and WAHA signatures and the bridge token carry no time, so a captured request stays valid: a message older than
     * the time message ids are remembered (RAPIDFIRE_DEDUP_WINDOW_MS) could no longer be recognised as a repeat and
     * is ignored (answered 200 with the reason, so the platform stops retrying) instead of batched again.
     */
    Inbound withoutStale(Context ctx, Inbound in, WebhookServer.Route route) {
        boolean replayable = byToken(ctx) || (route == WebhookServer.Route.CLOUD || route == WebhookServer.Route.TELEGRAM
                || route == WebhookServer.Route.WAHA) && !settings.secretOf(route.named).isEmpty();
        if (!replayable) {
            return in; // unsigned (open) routes have no replay protection to give: anyone may post anything
        }
        long oldest = System.currentTimeMillis() - settings.dedupWindowMs();
        List<Message> kept = new java.util.ArrayList<>();
        List<String> ignored = new java.util.ArrayList<>(in.ignored());
        for (Message m : in.messages()) {
            if (m.platformTimestampMs() != null && m.platformTimestampMs() < oldest) {
                ignored.add("message older than RAPIDFIRE_DEDUP_WINDOW_MS (" + settings.dedupWindowMs() / 60_000
                        + " min): a replay, or a retry too late to be recognised as one");
            } else {
                kept.add(m);
            }
        }
        return kept.size() == in.messages().size() ? in : new Inbound(in.format(), kept, ignored, in.presence());
    }

    /**
     * A route without its secret: served only when declared open, to anyone or (the standalone default) to listed
     * callers under a Host that names this server (EdgeRules.trusted: no DNS rebinding).
     */
    private void requireOpen(RequestHead head, String client, WebhookRoute r) {
        boolean open = settings.openRoutes().contains(r)
                && (settings.openFrom().isEmpty() || edge.trusted(head, client, settings.openFrom()));
        if (open) {
            return;
        }
        String fix = "set " + r.secretSetting + " to verify its requests (" + r.check + ")"
                + (r == WebhookRoute.WHATSAPP ? ", or RAPIDFIRE_BRIDGE_TOKEN for a bridge that sends headers" : "")
                + ", or declare it open with "
                + "RAPIDFIRE_OPEN_ROUTES=" + r.label + " (anyone who reaches the port may then post to it)";
        if (settings.openRoutes().contains(r)) {
            throw new WebhookServer.Unauthorized("route_closed", r.paths + " is open to " + String.join(",", settings.openFrom())
                    + " callers only (the standalone default) and " + edge.whyNotTrusted(head, client, settings.openFrom())
                    + ": " + fix + "; nothing stored");
        }
        throw new WebhookServer.Unauthorized("route_closed", r.paths + " has no secret and is not declared open: " + fix
                + "; nothing stored");
    }
}
