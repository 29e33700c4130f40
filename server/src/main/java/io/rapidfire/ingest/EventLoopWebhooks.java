package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.http.FastRequest;
import io.rapidfire.http.FastRoutes;
import io.rapidfire.http.Refused;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The webhook routes as the event loop's server serves them ({@link FastRoutes}): the same {@link Route} list and
 * the same {@link WebhookPipeline} as Javalin's registration in {@link WebhookServer}, matched here without Javalin.
 * A path this does not match exactly (a trailing slash, an escape, an unknown channel) is left to Javalin, which
 * answers it as it always did; so is a bridge body over RAPIDFIRE_MAX_BODY_BYTES or of unknown length, which
 * Javalin reads as a stream ({@link BridgeBody}). The requests that need the store beyond appends continue on
 * {@link #waiting} threads, at most {@link #WAITING_THREADS}, with a bounded queue (503 busy beyond it).
 */
final class EventLoopWebhooks implements FastRoutes, AutoCloseable {
    static final int WAITING_THREADS = 32;
    private static final int WAITING_QUEUE = 1_024;
    private static final Pattern PLAIN_PATH = Pattern.compile("(/[a-z0-9_-]+)+");

    private final IngestSettings settings;
    private final WebhookPipeline pipeline;
    private final Map<String, Route> byPath = new HashMap<>();
    private final Route channels;
    private final ThreadPoolExecutor waiting;

    EventLoopWebhooks(IngestSettings settings, WebhookPipeline pipeline, List<Route> routes) {
        this.settings = settings;
        this.pipeline = pipeline;
        Route anyChannel = null;
        for (Route r : routes) {
            if (r.channel() == null) {
                anyChannel = r;
            } else {
                byPath.putIfAbsent(r.path(), r);
            }
        }
        this.channels = anyChannel;
        AtomicInteger n = new AtomicInteger();
        this.waiting = new ThreadPoolExecutor(WAITING_THREADS, WAITING_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WAITING_QUEUE), r -> {
                    Thread t = new Thread(r, "rapidfire-webhook-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (r, pool) -> {
                    throw new Refused(503, "busy", WAITING_QUEUE + " webhook requests already wait for the store "
                            + "(signed with replay marks, typing events or handovers): send it again after Retry-After; "
                            + "nothing stored", 1);
                });
        waiting.allowCoreThreadTimeOut(true);
    }

    @Override
    public FastRoutes.Match match(String method, String path, long contentLength) {
        if (!"POST".equals(method) || !PLAIN_PATH.matcher(path).matches()) {
            return null;
        }
        Route r = byPath.get(path);
        String channel = r == null ? null : r.channel();
        if (r == null) {
            int slash = path.lastIndexOf('/');
            Route base = byPath.get(path.substring(0, slash));
            if (base != null && base.byEvent() && WebhookRoutes.isEvent(path.substring(slash + 1))) {
                r = base;
                channel = base.channel();
            } else if (channels != null && slash == "/webhook".length() && path.startsWith("/webhook/")
                    && WebhookRoutes.isChannel(settings, path.substring(slash + 1))) {
                r = channels;
                channel = path.substring(slash + 1);
            }
        }
        if (r == null || r.streamed() && (contentLength < 0 || contentLength > settings.maxBodyBytes())) {
            return null;
        }
        return new Bound(r, channel);
    }

    @Override
    public void close() {
        waiting.shutdown();
    }

    private final class Bound implements FastRoutes.Match {
        private final Route route;
        private final String channel;

        Bound(Route route, String channel) {
            this.route = route;
            this.channel = channel;
        }

        @Override
        public int maxBodyBytes() {
            return settings.maxBodyBytes();
        }

        @Override
        public CompletableFuture<JsonNode> handle(FastRequest request) {
            try {
                return pipeline.handle(request, route, channel, waiting);
            } catch (java.io.IOException e) {
                return CompletableFuture.failedFuture(io.rapidfire.http.EdgeRules.unreadable(e));
            }
        }
    }
}
