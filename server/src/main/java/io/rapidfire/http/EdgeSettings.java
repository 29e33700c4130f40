package io.rapidfire.http;

import io.rapidfire.config.Addresses;
import io.rapidfire.config.Setting;

import java.util.List;

/**
 * How the HTTP server meets the network: which peers are proxies whose forwarding header is believed, which host
 * names besides loopback ones may carry address-based trust, and the connection limits. Read once at startup.
 *
 * @param trustedProxies   RAPIDFIRE_TRUSTED_PROXIES: "loopback", addresses, CIDR blocks; empty = no proxy believed
 * @param forwardedHeader  RAPIDFIRE_FORWARDED_HEADER: the one header those proxies set (X-Forwarded-For, Forwarded
 *                         or X-Real-IP)
 * @param allowedHosts     RAPIDFIRE_ALLOWED_HOSTS: host names (besides localhost and IP literals) this server is
 *                         reached by, for the Host check of address trust and the Origin check of writes
 * @param maxConnections   RAPIDFIRE_MAX_CONNECTIONS: open connections at most; beyond it new ones wait to be accepted
 * @param idleTimeoutMs    RAPIDFIRE_IDLE_TIMEOUT_MS: a connection silent this long is closed
 * @param requestTimeoutMs RAPIDFIRE_REQUEST_TIMEOUT_MS: a request's headers and body must arrive within this, and a
 *                         new connection must send its first request within it (slow senders are closed)
 * @param bridgeBodyBytes  RAPIDFIRE_BRIDGE_MAX_BODY_BYTES: the WhatsApp bridge route's body with its inline media
 *                         (BridgeBody), read as a stream
 * @param maxInFlight      RAPIDFIRE_MAX_INFLIGHT_REQUESTS: webhook requests being stored at once; beyond it 503
 */
public record EdgeSettings(List<String> trustedProxies, String forwardedHeader, List<String> allowedHosts,
                           int maxConnections, long idleTimeoutMs, long requestTimeoutMs, long bridgeBodyBytes,
                           int maxInFlight) {
    /** The defaults are the settings' own (config/Setting.java), so the two cannot drift apart. */
    public static final int DEFAULT_MAX_CONNECTIONS = Integer.parseInt(Setting.RAPIDFIRE_MAX_CONNECTIONS.defaultValue());
    public static final long DEFAULT_IDLE_TIMEOUT_MS = Long.parseLong(Setting.RAPIDFIRE_IDLE_TIMEOUT_MS.defaultValue());
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = Long.parseLong(Setting.RAPIDFIRE_REQUEST_TIMEOUT_MS.defaultValue());
    public static final long DEFAULT_BRIDGE_BODY_BYTES = Long.parseLong(Setting.RAPIDFIRE_BRIDGE_MAX_BODY_BYTES.defaultValue());
    public static final int DEFAULT_MAX_INFLIGHT = Integer.parseInt(Setting.RAPIDFIRE_MAX_INFLIGHT_REQUESTS.defaultValue());
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    public static final String FORWARDED = "Forwarded";
    public static final String X_REAL_IP = "X-Real-IP";

    public EdgeSettings {
        trustedProxies = List.copyOf(trustedProxies);
        allowedHosts = List.copyOf(allowedHosts);
        String bad = Addresses.problem(trustedProxies);
        if (bad != null) {
            throw new IllegalArgumentException("RAPIDFIRE_TRUSTED_PROXIES: " + bad);
        }
    }

    /** No proxy, no extra host names, the default limits. */
    public static EdgeSettings defaults() {
        return new EdgeSettings(List.of(), X_FORWARDED_FOR, List.of(), DEFAULT_MAX_CONNECTIONS,
                DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_BRIDGE_BODY_BYTES, DEFAULT_MAX_INFLIGHT);
    }

    public EdgeSettings withProxies(List<String> proxies, String header) {
        return new EdgeSettings(proxies, header, allowedHosts, maxConnections, idleTimeoutMs, requestTimeoutMs, bridgeBodyBytes, maxInFlight);
    }

    public EdgeSettings withAllowedHosts(List<String> hosts) {
        return new EdgeSettings(trustedProxies, forwardedHeader, hosts, maxConnections, idleTimeoutMs, requestTimeoutMs, bridgeBodyBytes, maxInFlight);
    }

    public EdgeSettings withBridgeBodyBytes(long bytes) {
        return new EdgeSettings(trustedProxies, forwardedHeader, allowedHosts, maxConnections, idleTimeoutMs,
                requestTimeoutMs, bytes, maxInFlight);
    }

    public EdgeSettings withMaxInFlight(int max) {
        return new EdgeSettings(trustedProxies, forwardedHeader, allowedHosts, maxConnections, idleTimeoutMs,
                requestTimeoutMs, bridgeBodyBytes, max);
    }

    public EdgeSettings withConnections(int max, long idleMs, long requestMs) {
        return new EdgeSettings(trustedProxies, forwardedHeader, allowedHosts, max, idleMs, requestMs, bridgeBodyBytes,
                maxInFlight);
    }
}
