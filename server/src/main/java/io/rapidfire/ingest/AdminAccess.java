package io.rapidfire.ingest;

import io.javalin.http.Context;

/**
 * Who may use the admin routes, in one place. To act (flush, clear, policies, dead letters, the doctor): with
 * RAPIDFIRE_ADMIN_TOKEN set, whoever sends it exactly (case included, constant time); without it, only
 * RAPIDFIRE_ADMIN_TRUSTED addresses (loopback by default). To read (stats, the dashboard's views): the same, and also
 * a trusted address without the token, which then sees phone numbers masked. Wrong tokens are throttled per address.
 */
final class AdminAccess {
    private final IngestSettings settings;
    private final FailedAttempts failures = new FailedAttempts("admin_rate_limited", "admin attempts");

    AdminAccess(IngestSettings settings) {
        this.settings = settings;
    }

    /** Throws 401/403/429 unless this caller may act. */
    void act(Context ctx) {
        String ip = ctx.ip();
        failures.checkAllowed(ip);
        if (settings.adminToken().isEmpty()) {
            if (!Addresses.listed(ip, settings.adminTrusted())) {
                failures.failed(ip);
                throw closed(ip);
            }
            return;
        }
        checkToken(ctx, ip);
    }

    /**
     * Throws unless this caller may read; returns whether it may see phone numbers (only with the token: a trusted
     * address without one reads them masked).
     */
    boolean read(Context ctx) {
        String ip = ctx.ip();
        failures.checkAllowed(ip);
        boolean trusted = Addresses.listed(ip, settings.adminTrusted());
        if (settings.adminToken().isEmpty()) {
            if (!trusted) {
                failures.failed(ip);
                throw closed(ip);
            }
            return false;
        }
        if (ctx.header("Authorization") == null && trusted) {
            return false;
        }
        checkToken(ctx, ip);
        return true;
    }

    /** Whether this caller holds the token (for a page that offers actions only then). */
    boolean hasToken(Context ctx) {
        String h = ctx.header("Authorization");
        return !settings.adminToken().isEmpty() && h != null && h.startsWith("Bearer ")
                && Signatures.sameToken(settings.adminToken(), h.substring(7).trim());
    }

    private void checkToken(Context ctx, String ip) {
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            failures.failed(ip);
            throw new WebhookServer.Unauthorized("admin_unauthorized", "this route needs Authorization: Bearer "
                    + "<RAPIDFIRE_ADMIN_TOKEN>");
        }
        if (!Signatures.sameToken(settings.adminToken(), h.substring(7).trim())) {
            failures.failed(ip);
            throw new WebhookServer.Unauthorized("admin_unauthorized", "the bearer token does not match "
                    + "RAPIDFIRE_ADMIN_TOKEN");
        }
    }

    private WebhookServer.Unauthorized closed(String ip) {
        return new WebhookServer.Unauthorized(403, "admin_unauthorized", "the admin routes are closed to " + ip
                + ": set RAPIDFIRE_ADMIN_TOKEN and send Authorization: Bearer <token>, or add this address to "
                + "RAPIDFIRE_ADMIN_TRUSTED (now: " + (settings.adminTrusted().isEmpty() ? "none"
                : String.join(",", settings.adminTrusted())) + ")");
    }
}
