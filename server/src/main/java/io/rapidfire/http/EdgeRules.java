package io.rapidfire.http;

import io.rapidfire.config.Addresses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules every request meets before a route's own checks, in one place and free of the HTTP server's types
 * ({@link RequestHead}), so that serving webhooks on another HTTP server later keeps them unchanged:
 * <ul>
 * <li><b>Who the client is.</b> The socket's peer, unless the peer is a listed proxy (RAPIDFIRE_TRUSTED_PROXIES):
 * then the rightmost address of the proxies' header (X-Forwarded-For, or Forwarded) that is not itself a listed
 * proxy (or the address of X-Real-IP, for proxies that set only that). From anyone else the header is ignored, so it
 * cannot be spoofed. Every limit, throttle and address rule uses
 * this address.</li>
 * <li><b>No cross-site writes.</b> A state-changing request a browser sent from another site is refused (403): by
 * {@code Sec-Fetch-Site} where the browser sends it (it cannot be set by a page), else by {@code Origin} against
 * {@code Host} or RAPIDFIRE_ALLOWED_HOSTS. Platforms and bridges send neither header.</li>
 * <li><b>No DNS rebinding.</b> Trust granted by address (loopback callers, RAPIDFIRE_ADMIN_TRUSTED) holds only when
 * {@code Host} names this server: an IP literal, localhost, or RAPIDFIRE_ALLOWED_HOSTS. A page on
 * rebind.evil.example that made its name point at 127.0.0.1 sends {@code Host: rebind.evil.example}.</li>
 * <li><b>JSON only on webhooks</b> (415 otherwise): what every platform sends, and what a cross-site HTML form cannot
 * send without the browser asking first (CORS preflight, which Rapidfire never grants).</li>
 * <li><b>Bounded bodies</b> (413): read through a bound of the limit plus one byte, chunked or not, after the
 * header-only checks, so no request can make the process hold more than the limit.</li>
 * </ul>
 */
public final class EdgeRules {
    private final EdgeSettings settings;

    public EdgeRules(EdgeSettings settings) {
        this.settings = settings;
    }

    public EdgeSettings settings() {
        return settings;
    }

    /** The client's address, as every limit and trust rule sees it. */
    public String client(RequestHead h) {
        String peer = normal(h.peer());
        if (settings.trustedProxies().isEmpty() || !Addresses.listed(peer, settings.trustedProxies())) {
            return peer;
        }
        String named = settings.forwardedHeader();
        List<String> hops = EdgeSettings.FORWARDED.equalsIgnoreCase(named) ? forwardedFor(h.headers("Forwarded"))
                : EdgeSettings.X_REAL_IP.equalsIgnoreCase(named) ? split(h.headers("X-Real-IP"))
                : split(h.headers("X-Forwarded-For"));
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = normal(hops.get(i));
            if (!Addresses.listed(hop, settings.trustedProxies())) {
                return hop;
            }
        }
        // Every hop is a listed proxy: the left-most entry is the best the chain can tell. No header at all: the
        // proxy itself (it forwarded without saying for whom; configure it to).
        return hops.isEmpty() ? peer : normal(hops.get(0));
    }

    /** 403 (cross_site) for a state-changing request a browser sent from another site; nothing for others. */
    public void refuseCrossSite(RequestHead h) {
        String fetchSite = h.header("Sec-Fetch-Site");
        if (fetchSite != null) {
            String s = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (s.equals("same-origin") || s.equals("none")) {
                return;
            }
            throw crossSite("the browser says it was sent from another site (Sec-Fetch-Site: " + Answers.clip(s) + ")");
        }
        String origin = h.header("Origin");
        if (origin == null) {
            return; // not sent by a browser from a page (platforms, bridges, curl)
        }
        String originHost = originHost(origin);
        if (originHost != null && (originHost.equalsIgnoreCase(hostHeader(h)) || listedHost(stripPort(originHost)))) {
            return;
        }
        throw crossSite("it comes from a page on " + Answers.clip(origin) + ", not from this server ("
                + Answers.clip(String.valueOf(hostHeader(h))) + ")");
    }

    private static Refused crossSite(String why) {
        return new Refused(403, "cross_site", "refused: a state-changing request from another site (" + why
                + "); nothing was done. A page served elsewhere may not write here. If this server is reached under "
                + "another name (behind a proxy), list that name in RAPIDFIRE_ALLOWED_HOSTS");
    }

    /**
     * Whether {@code Host} names this server, so that trust granted by the caller's address may hold: an IP literal,
     * localhost (or *.localhost), a name in RAPIDFIRE_ALLOWED_HOSTS, or no Host at all (HTTP/1.0; a browser always
     * sends one).
     */
    public boolean hostNamesThisServer(RequestHead h) {
        String host = hostHeader(h);
        if (host == null || host.isEmpty()) {
            return true;
        }
        String name = stripPort(host).toLowerCase(Locale.ROOT);
        return Addresses.literal(name) != null || name.equals("localhost") || name.endsWith(".localhost") || listedHost(name);
    }

    /**
     * Whether address-based trust holds: the client is in {@code list} and the Host names this server. "loopback" in
     * the list never matches a request that passed through a proxy: one listed in RAPIDFIRE_TRUSTED_PROXIES (whether
     * the client sat on the proxy's machine cannot be known, and a wide range of listed proxies could claim it), or an
     * unlisted one that announced itself with a forwarding header (a same-host proxy the operator did not declare:
     * every caller would look like loopback).
     */
    public boolean trusted(RequestHead h, String client, List<String> list) {
        List<String> usable = proxied(h) ? list.stream().filter(e -> !e.equals("loopback")).toList() : list;
        return Addresses.listed(client, usable) && hostNamesThisServer(h);
    }

    /** Whether the request came through a proxy: from a listed one, or carrying a forwarding header. */
    private boolean proxied(RequestHead h) {
        return Addresses.listed(normal(h.peer()), settings.trustedProxies()) || h.header("X-Forwarded-For") != null
                || h.header("Forwarded") != null || h.header("X-Real-IP") != null;
    }

    /** Why {@code trusted} said no, for the refusal's message. */
    public String whyNotTrusted(RequestHead h, String client, List<String> list) {
        if (list.contains("loopback") && Addresses.isLoopback(client) && proxied(h)) {
            return "this request came from " + client + " through a proxy, and loopback trust is not given to proxied "
                    + "requests (set RAPIDFIRE_ADMIN_TOKEN; list the proxy in RAPIDFIRE_TRUSTED_PROXIES so each client "
                    + "is itself)";
        }
        if (!Addresses.listed(client, list)) {
            return "this request came from " + client;
        }
        return "this request names the host '" + Answers.clip(stripPort(String.valueOf(hostHeader(h))))
                + "', which is not this server's (loopback names, IP literals and RAPIDFIRE_ALLOWED_HOSTS are; a "
                + "DNS-rebinding page sends its own name)";
    }

    /** 415 unless the Content-Type is JSON (application/json, application/*+json), what webhook platforms send. */
    public static void requireJson(RequestHead h) {
        String type = h.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"))) {
            return;
        }
        throw new Refused(415, "unsupported_media_type", "webhook bodies must be sent with Content-Type: "
                + "application/json (what WhatsApp bridges, the Cloud API and Telegram send); got "
                + (type == null ? "no Content-Type" : "'" + Answers.clip(type) + "'") + "; nothing stored");
    }

    /**
     * The body, read through a bound: at most {@code limit} bytes are kept, and a body announcing or reaching more
     * is refused (413) as soon as the bound is passed, chunked or not.
     *
     * @param declared the Content-Length, or -1 when the body is chunked
     * @param setting  the setting that sets the limit, named in the refusal
     */
    public static byte[] readBody(InputStream in, long declared, int limit, String setting) {
        return within(readAtMost(in, declared, limit, limit, setting), declared, limit, setting);
    }

    /**
     * A body already read (at most {@code limit + 1} bytes of it), held to the same bound as {@link #readBody}: the
     * one rule for both servers.
     */
    public static byte[] within(byte[] read, long declared, int limit, String setting) {
        if (declared > limit) {
            throw tooLarge("the body is " + declared + " bytes", limit, setting);
        }
        if (read.length > limit) {
            throw tooLarge("the body is more than " + limit + " bytes", limit, setting);
        }
        return read;
    }

    /**
     * Up to {@code limit + 1} bytes of the body (one more than the limit says it went past it), refused at once when
     * its declared length is over {@code refuseOver}. Grown as bytes arrive, never reserved from what a header claims:
     * a Content-Length alone costs nothing. BridgeBody goes on reading where this stops.
     */
    public static byte[] readAtMost(InputStream in, long declared, int limit, long refuseOver, String setting) {
        if (declared > refuseOver) {
            throw tooLarge("the body is " + declared + " bytes", refuseOver, setting);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared >= 0 ? declared : 8_192, 16_384)));
        byte[] buffer = new byte[8_192];
        try {
            for (int n; out.size() <= limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - out.size()))) != -1; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        return out.toByteArray();
    }

    public static Refused unreadable(IOException e) {
        return new Refused(400, "bad_request", "the body could not be read whole (" + e.getClass().getSimpleName()
                + "): send it again; nothing stored");
    }

    public static Refused tooLarge(String what, long limit, String setting) {
        return new Refused(413, "too_large", what + "; at most " + limit + " are accepted (" + setting + "); nothing stored");
    }

    private boolean listedHost(String name) {
        for (String allowed : settings.allowedHosts()) {
            if (allowed.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String hostHeader(RequestHead h) {
        String host = h.header("Host");
        return host == null ? null : host.trim();
    }

    /** "example.com:8080" -> "example.com"; "[::1]:80" -> "::1". */
    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
    }

    /** "https://a.example:8443" -> "a.example:8443" (the form Host takes); null for "null" and anything unparsable. */
    private static String originHost(String origin) {
        try {
            URI u = URI.create(origin.trim());
            if (u.getHost() == null) {
                return null;
            }
            String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
            return u.getPort() < 0 ? host : host + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An IP literal in one spelling ("0:0:0:0:0:0:0:1" and "[::1]" alike); anything else clipped, as given. */
    private static String normal(String address) {
        InetAddress a = Addresses.literal(address);
        return a != null ? a.getHostAddress() : Answers.clip(String.valueOf(address).trim());
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** The for= of each element of RFC 7239 Forwarded headers, in order ("for=192.0.2.60;proto=http, for=\"[2001:db8::1]\""). */
    private static List<String> forwardedFor(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String element : split(values)) {
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                    out.add(pair.substring(eq + 1).trim().replace("\"", ""));
                }
            }
        }
        return out;
    }
}
