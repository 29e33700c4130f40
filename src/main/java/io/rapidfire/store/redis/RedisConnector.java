package io.rapidfire.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;

import java.time.Duration;

/**
 * Turns {@code REDIS_URL} ({@code redis://[:password@]host:port/db}, {@code rediss://} for TLS) into a
 * Lettuce client. Connections carry a name ({@code CLIENT SETNAME}, DESIGN.md invariant 10) so that
 * {@code CLIENT LIST} shows which Rapidfire process holds them. While disconnected, commands fail at once
 * instead of queueing: a webhook must answer 503 quickly rather than hang until the platform times out.
 */
public final class RedisConnector {
    private RedisConnector() {
    }

    public static RedisURI parse(String url) {
        if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://[:password@]host:port/db or "
                    + "rediss://... for TLS, got " + mask(url));
        }
        try {
            return RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("REDIS_URL " + mask(url) + " cannot be parsed: " + e.getMessage()
                    + "; expected redis://[:password@]host:port/db", e);
        }
    }

    public static RedisClient client(String url, String clientName, Duration timeout) {
        RedisURI uri = parse(url);
        uri.setClientName(clientName);
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        return client;
    }

    /** "redis://127.0.0.1:6379/0" with any password replaced, for logs and errors. */
    public static String describe(String url) {
        RedisURI uri = parse(url);
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    public static String mask(String url) {
        if (url == null) {
            return "nothing";
        }
        return url.replaceAll("(rediss?://)([^@/]*)@", "$1***@");
    }
}
