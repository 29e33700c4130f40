package io.rapidfire.admin;

import io.javalin.http.Context;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.Names;

/** Query and path parameters of the admin routes: 400 naming the parameter and what it accepts. */
public final class Params {
    private Params() {
    }

    /** {@code ?page=} (from 0) and {@code ?limit=} ({@code defaultLimit} when absent), by the one paging rule. */
    static Paging paging(Context ctx, int defaultLimit) {
        int limit = intParam(ctx, "limit", defaultLimit, 1, Paging.MAX_LIMIT);
        int page = intParam(ctx, "page", 0, 0, Paging.MAX_WINDOW);
        try {
            return new Paging(page, limit);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    static int intParam(Context ctx, String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error naming the accepted range
        }
        throw new BadRequest("query parameter " + name + " must be a whole number from " + min + " to " + max);
    }

    /** A tenant as accepted everywhere ({@link Names#tenant}), or {@code def} when absent. */
    static String tenant(String raw, String def, String where) {
        return raw == null ? def : Names.tenant(raw, where);
    }

    /** A conversation key tenant:channel:conversation from the path. */
    static ConversationRef key(Context ctx) {
        String key = ctx.pathParam("key");
        if (key.contains("**")) {
            // A key copied from the masked view names nobody: acting on it would start a handover (or set rules) for
            // a conversation that does not exist.
            throw new BadRequest("'" + io.rapidfire.http.Answers.clip(key) + "' is a masked conversation key: act with "
                    + "the whole key (the admin token's view shows it, as do the CLI and the batches)");
        }
        try {
            return ConversationRef.parseKey(key);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the path must name a conversation key tenant:channel:conversation, e.g. "
                    + "default:whatsapp:+79001234567 (URL-encoded)");
        }
    }

    /**
     * A length as people write it: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, or a whole number of ms.
     *
     * @throws BadRequest naming the parameter and the forms accepted
     */
    public static long duration(String raw, String name) {
        String v = raw.trim().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?").matcher(v);
        if (!m.matches()) {
            throw new BadRequest(name + " is a length such as 90s, 30m, 2h, 1d or a number of ms (got \""
                    + io.rapidfire.http.Answers.clip(raw) + "\")");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 1L;
        };
        if (n <= 0) {
            throw new BadRequest(name + " must be more than 0 (got \"" + io.rapidfire.http.Answers.clip(raw) + "\")");
        }
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new BadRequest(name + " is far too long (got \"" + io.rapidfire.http.Answers.clip(raw) + "\")");
        }
    }
}
