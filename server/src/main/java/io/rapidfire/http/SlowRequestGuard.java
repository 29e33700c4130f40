package io.rapidfire.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that take longer than RAPIDFIRE_REQUEST_TIMEOUT_MS to deliver a request: a new connection that
 * has not sent a whole first request by then, or a request whose headers and body started arriving and are not all
 * there by then. Jetty's idle timeout alone lets a client keep a connection by sending a byte or a header line just
 * before it runs out (slowloris); this is the deadline it lacks. Between requests a keep-alive connection is governed
 * by the idle timeout; while the server itself works on a request (the parser has the whole request) nothing counts.
 * Checked a few times per timeout on one daemon thread; added to the connector as a bean, so it starts and stops with it.
 */
final class SlowRequestGuard extends AbstractLifeCycle implements Connection.Listener {
    private final long timeoutMs;
    private final Runnable onTimeout;
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    /** When the connection opened, and since when it has been receiving the request now arriving (0: none). */
    private static final class Watch {
        final long openedAt = System.nanoTime();
        long since;
    }

    /** @param onTimeout called for each connection closed for being too slow (counted in the metrics) */
    SlowRequestGuard(long timeoutMs, Runnable onTimeout) {
        this.timeoutMs = timeoutMs;
        this.onTimeout = onTimeout;
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rapidfire-slow-request-guard");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1_000, timeoutMs / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
        open.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection h) {
            open.put(h, new Watch());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** HTTP connections open now (the rapidfire_http_connections gauge). */
    int openConnections() {
        return open.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<HttpConnection, Watch> e : open.entrySet()) {
            HttpConnection c = e.getKey();
            Watch w = e.getValue();
            HttpParser.State state = c.getParser().getState();
            boolean fresh = c.getMessagesIn() == 0 && state == HttpParser.State.START;
            boolean receiving = state != HttpParser.State.START && state != HttpParser.State.END
                    && state != HttpParser.State.CLOSE && state != HttpParser.State.CLOSED;
            if (!fresh && !receiving) {
                w.since = 0;
                continue;
            }
            if (w.since == 0) {
                w.since = fresh ? w.openedAt : now;
            }
            if (now - w.since > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                // Counted before the close, so that whoever sees the connection drop also sees it counted.
                open.remove(c);
                onTimeout.run();
                c.getEndPoint().close();
            }
        }
    }
}
