package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

import io.rapidfire.config.WebhookRoute;
import io.rapidfire.core.Message;
import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.FailedAttempts;
import io.rapidfire.http.Refused;

import java.util.List;

/**
 * Who may post to a webhook route, in one place: a route with its secret set takes only requests its platform signed
 * (its {@link Verifier}); a route without one only when declared open (RAPIDFIRE_OPEN_ROUTES), to anyone or, the
 * standalone default, to trusted callers. The WhatsApp bridge routes also take RAPIDFIRE_BRIDGE_TOKEN as a bearer
 * token. Checked in two steps around the body read: {@link #checkCaller} on the headers, {@link #checkBody} over it.
 */
final class RouteProtection {
    /** How a caller got in: it decides what the body check and the replay rule still have to do. */
    enum Caller { OPEN, SIGNED, BY_TOKEN }

    private final IngestSettings settings;
    private final EdgeRules edge;
    /** The WhatsApp route's bearer token is a fixed string (or a JWT made with one): wrong guesses are throttled. */
    private final FailedAttempts bridgeTokenFailures = new FailedAttempts("signature_rate_limited",
            "Authorization: Bearer attempts on the WhatsApp bridge route");

    private final List<Route> routes;

    RouteProtection(IngestSettings settings, EdgeRules edge, List<Route> routes) {
        this.settings = settings;
        this.edge = edge;
        this.routes = routes;
    }

    /** Header-only, before the body is read: 401 unless the route is open to this caller or its headers check out. */
    Caller checkCaller(WebhookRequest req, Route route) {
        WebhookRoute named = route.named();
        boolean signed = !settings.secretOf(named).isEmpty();
        if (named == WebhookRoute.WHATSAPP && !settings.bridgeToken().isEmpty()
                && (req.header("Authorization") != null || !signed)) {
            checkBridgeToken(req);
            return Caller.BY_TOKEN;
        }
        if (!signed) {
            requireOpen(req, route);
            return Caller.OPEN;
        }
        String problem = route.verifier().headers(req);
        if (problem != null) {
            throw failed(problem);
        }
        return Caller.SIGNED;
    }

    /** For a body read as a stream: the signature's HMAC to feed it to as it is read; null when none is checked. */
    javax.crypto.Mac streamingMac(WebhookRequest req, Route route, Caller caller) {
        return caller == Caller.SIGNED ? route.verifier().streamingMac(req) : null;
    }

    /** Over the body, once read: 401 when the signature does not match; the replay marks to set once stored. */
    Signatures.Replay checkBody(WebhookRequest req, Route route, Caller caller, BridgeBody.Body body, String tenant) {
        if (caller != Caller.SIGNED) {
            return null;
        }
        Verifier.Checked c = route.verifier().body(req, body, tenant);
        if (c.problem() != null) {
            throw failed(c.problem());
        }
        return c.replay();
    }

    /**
     * Signatures without a time (Cloud API, Telegram, WAHA) and the bridge token let a captured request be posted
     * again: a message older than the time message ids are remembered (RAPIDFIRE_DEDUP_WINDOW_MS) could no longer be
     * recognised as a repeat and is ignored (answered 200 with the reason, so the platform stops retrying).
     */
    Inbound withoutStale(Inbound in, Route route, Caller caller) {
        boolean replayable = caller == Caller.BY_TOKEN || caller == Caller.SIGNED && route.verifier().timeless();
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

    private void checkBridgeToken(WebhookRequest req) {
        bridgeTokenFailures.checkAllowed(req.client());
        String authorization = req.header("Authorization");
        String problem = authorization == null ? "missing Authorization: Bearer <RAPIDFIRE_BRIDGE_TOKEN> (give the "
                + "bridge's webhook that header, e.g. Evolution API's webhook headers, or its jwt_key = the token)"
                : BridgeTokens.problem(settings.bridgeToken(), authorization, System.currentTimeMillis());
        if (problem != null) {
            if (authorization != null) {
                bridgeTokenFailures.failed(req.client());
            }
            throw failed(problem);
        }
    }

    private static Refused failed(String problem) {
        return Refused.unauthorized("signature", "signature check failed: " + problem + "; nothing stored");
    }

    /**
     * A route without its secret: served only when declared open, to anyone or (the standalone default) to listed
     * callers under a Host that names this server (EdgeRules.trusted: no DNS rebinding).
     */
    private void requireOpen(WebhookRequest req, Route route) {
        WebhookRoute r = route.named();
        boolean open = settings.openRoutes().contains(r)
                && (settings.openFrom().isEmpty() || edge.trusted(req, req.client(), settings.openFrom()));
        if (open) {
            return;
        }
        String paths = WebhookRoutes.paths(routes, r);
        String fix = "set " + r.secretSetting + " to verify its requests (" + route.verifier().describe() + ")"
                + (r == WebhookRoute.WHATSAPP ? ", or RAPIDFIRE_BRIDGE_TOKEN for a bridge that sends headers" : "")
                + ", or declare it open with "
                + "RAPIDFIRE_OPEN_ROUTES=" + r.label + " (anyone who reaches the port may then post to it)";
        if (settings.openRoutes().contains(r)) {
            throw Refused.unauthorized("route_closed", paths + " is open to " + String.join(",", settings.openFrom())
                    + " callers only (the standalone default) and " + edge.whyNotTrusted(req, req.client(), settings.openFrom())
                    + ": " + fix + "; nothing stored");
        }
        throw Refused.unauthorized("route_closed", paths + " has no secret and is not declared open: " + fix
                + "; nothing stored");
    }
}
