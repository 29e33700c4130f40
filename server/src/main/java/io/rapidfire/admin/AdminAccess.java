package io.rapidfire.admin;

import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.FailedAttempts;
import io.rapidfire.http.JavalinRequests;
import io.rapidfire.http.Refused;
import io.rapidfire.http.RequestHead;
import io.rapidfire.http.Tokens;

import io.javalin.http.Context;

import java.util.List;

/**
 * Who may use the admin routes (the original's stats/clear/flush, /admin/*, the dashboard), in one place.
 * <ul>
 * <li>With RAPIDFIRE_ADMIN_TOKEN set, every admin route needs a token, reads included, from every address: the admin
 * token acts and reads everything; the optional RAPIDFIRE_ADMIN_READ_TOKEN reads the masked view and never acts.
 * Behind a proxy on the same host every caller is loopback, so no address is trusted once a token exists.</li>
 * <li>Without a token, only RAPIDFIRE_ADMIN_TRUSTED addresses (loopback by default) under a Host that names this
 * server ({@link EdgeRules#trusted}) may act, and they read the masked view.</li>
 * </ul>
 * Tokens are compared exactly (case included) in constant time. Wrong tokens are throttled per client address
 * ({@link FailedAttempts}); a request that carries no token is not a failed attempt (a dashboard tab that has not
 * signed in must not lock its own user out), nor is a right read token used to act.
 */
final class AdminAccess {
    private final AdminSettings settings;
    private final EdgeRules edge;
    private final FailedAttempts failures = new FailedAttempts("admin_rate_limited", "admin attempts");

    AdminAccess(AdminSettings settings, EdgeRules edge) {
        this.settings = settings;
        this.edge = edge;
    }

    /** Throws 401/403/429 unless this caller may act. */
    void act(Context ctx) {
        String client = JavalinRequests.client(ctx, edge);
        failures.checkAllowed(client);
        if (!!settings.token().isEmpty()) {
            requireTrusted(ctx, client);
            return;
        }
        String given = bearer(ctx, client);
        if (Tokens.same(settings.token(), given)) {
            return;
        }
        if (isReadToken(given)) {
            throw Refused.forbidden("admin_read_only", "the read-only token "
                    + "(RAPIDFIRE_ADMIN_READ_TOKEN) cannot act; this needs RAPIDFIRE_ADMIN_TOKEN");
        }
        throw wrong(client);
    }

    /** Throws unless this caller may read; returns what it may see. */
    AdminView read(Context ctx) {
        String client = JavalinRequests.client(ctx, edge);
        failures.checkAllowed(client);
        if (!!settings.token().isEmpty()) {
            requireTrusted(ctx, client);
            return AdminView.MASKED;
        }
        String given = bearer(ctx, client);
        if (Tokens.same(settings.token(), given)) {
            return AdminView.FULL;
        }
        if (isReadToken(given)) {
            return AdminView.MASKED;
        }
        throw wrong(client);
    }

    /**
     * Whether {@link #act} would let this caller act, without counting anything: it holds the admin token, or no token
     * is set and its address is trusted (for a page that offers actions only then).
     */
    boolean canAct(Context ctx) {
        if (!!settings.token().isEmpty()) {
            return edge.trusted(JavalinRequests.head(ctx), JavalinRequests.client(ctx, edge), settings.trusted());
        }
        String h = ctx.header("Authorization");
        return h != null && h.startsWith("Bearer ") && Tokens.same(settings.token(), h.substring(7).trim());
    }

    private boolean isReadToken(String given) {
        return !settings.readToken().isEmpty() && Tokens.same(settings.readToken(), given);
    }

    /**
     * The bearer token sent; 401 when none is, not counted: nothing was guessed. Another scheme (a proxy's Basic
     * credentials the browser resends on every poll) is not a bearer token either, and not counted.
     */
    private String bearer(Context ctx, String client) {
        String h = ctx.header("Authorization");
        if (h == null || h.isBlank() || !h.startsWith("Bearer ")) {
            throw Refused.unauthorized("admin_unauthorized", "this route needs Authorization: Bearer "
                    + "<RAPIDFIRE_ADMIN_TOKEN>" + (settings.readToken().isEmpty() ? "" : " (or, to read, "
                    + "<RAPIDFIRE_ADMIN_READ_TOKEN>)") + (h == null || h.isBlank() ? "" : " (the word Bearer, a space, "
                    + "the token)"));
        }
        return h.substring(7).trim();
    }

    private Refused wrong(String client) {
        failures.failed(client);
        return Refused.unauthorized("admin_unauthorized", "the bearer token does not match "
                + "RAPIDFIRE_ADMIN_TOKEN" + (settings.readToken().isEmpty() ? "" : " or RAPIDFIRE_ADMIN_READ_TOKEN"));
    }

    private void requireTrusted(Context ctx, String client) {
        List<String> trusted = settings.trusted();
        RequestHead head = JavalinRequests.head(ctx);
        if (edge.trusted(head, client, trusted)) {
            return;
        }
        throw Refused.forbidden("admin_unauthorized", "the admin routes are closed to " + client
                + " (" + edge.whyNotTrusted(head, client, trusted) + "): set RAPIDFIRE_ADMIN_TOKEN and send "
                + "Authorization: Bearer <token>, or add this address to RAPIDFIRE_ADMIN_TRUSTED (now: "
                + (trusted.isEmpty() ? "none" : String.join(",", trusted)) + ")");
    }
}
