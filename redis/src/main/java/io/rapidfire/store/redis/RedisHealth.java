package io.rapidfire.store.redis;

import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.rapidfire.core.BatchQueue.ConnectionHealth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection trouble this process saw (lost connections, refused commands, unconfirmed writes), published in its
 * heartbeat for the doctor's "redis-errors" check.
 */
final class RedisHealth {
    private final AtomicLong reconnects = new AtomicLong();
    private volatile String lastError = "";
    private volatile long lastErrorAtMs;

    /**
     * Counts the link's reconnect attempts. One only follows a connection lost against our will (closing one of
     * our own connections publishes a plain disconnect, which is not trouble).
     */
    void follow(RedisLink link) {
        link.events().get().subscribe(e -> {
            if (e instanceof ReconnectAttemptEvent r) {
                reconnects.incrementAndGet();
                note("connection to Redis lost; reconnect attempt " + r.getAttempt() + " to " + r.remoteAddress());
            }
        }, endOfClient -> {
            // The event bus ends with an error when the client shuts down: nothing to report.
        });
    }

    void note(String error) {
        lastError = error;
        lastErrorAtMs = System.currentTimeMillis();
    }

    ConnectionHealth snapshot() {
        return new ConnectionHealth(lastError, lastErrorAtMs, reconnects.get());
    }
}
