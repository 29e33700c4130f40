package io.rapidfire.http;

import io.rapidfire.core.Mask;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.StoreFault;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one HTTP server every front end registers its routes on (webhooks, the commit route, admin, the dashboard,
 * health): its connections and their limits, the cross-site rule for every write, and how a thrown {@link Refused},
 * a store fault or a bug becomes an answer. The front ends only throw; the answers look alike on every route.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rapidfire.ingest");
    /** The request attribute holding a 404's text ({@link Answers#notFound}). */
    static final String NOT_FOUND = "notFound";

    private final Javalin app;
    private final EdgeRules edge;
    private final Metrics metrics;
    private final SlowRequestGuard slowRequests;
    private final List<String> routes = new ArrayList<>();
    private final List<Runnable> onClose = new ArrayList<>();
    private volatile Consumer<String> onRefused = reason -> { };
    private volatile String bindHost;
    private volatile int bindPort;

    /**
     * @param maxBodyBytes RAPIDFIRE_MAX_BODY_BYTES: the routes answer 413 naming it; Jetty's own limit (4x) only
     *                     guards against absurd bodies
     * @param storeName    names the store in the log line of a 503 (never in the answer)
     */
    public HttpServer(EdgeSettings settings, int maxBodyBytes, Metrics metrics, Supplier<String> storeName) {
        this.edge = new EdgeRules(settings);
        this.metrics = metrics;
        this.slowRequests = new SlowRequestGuard(settings.requestTimeoutMs(), () -> metrics.rejected("request_timeout"));
        metrics.httpConnections(slowRequests::openConnections);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = Math.max(maxBodyBytes * 4L, 1_048_576L);
            // Jetty reuses a header value it saw earlier on the same keep-alive connection when the new one differs
            // only in case: "Bearer Admin-Token" would arrive as the previous request's "Bearer admin-token". Tokens
            // are compared case-sensitively, so the cache must be too (found by AdminAccessTest).
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            // Connections: at most RAPIDFIRE_MAX_CONNECTIONS open (beyond it the acceptor waits, new ones queue in the
            // kernel), a silent one closed after RAPIDFIRE_IDLE_TIMEOUT_MS, a slow request after
            // RAPIDFIRE_REQUEST_TIMEOUT_MS (SlowRequestGuard).
            cfg.jetty.modifyServer(server -> server.addBean(new org.eclipse.jetty.server.ConnectionLimit(settings.maxConnections(), server)));
            cfg.jetty.addConnector((server, http) -> {
                var c = new org.eclipse.jetty.server.ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                c.setHost(bindHost);
                c.setPort(bindPort);
                c.setIdleTimeout(settings.idleTimeoutMs());
                c.addBean(slowRequests);
                return c;
            });
        });
        // Every state-changing request, on every route (webhooks, admin actions, routes plugged in later), is refused
        // when a browser sent it from another site (EdgeRules.refuseCrossSite).
        app.before(ctx -> {
            HandlerType m = ctx.method();
            if (m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.DELETE || m == HandlerType.PATCH) {
                edge.refuseCrossSite(JavalinRequests.head(ctx));
            }
        });
        app.exception(Refused.class, (e, ctx) -> {
            if (e.retryAfterSeconds > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            }
            refuse(ctx, e.status, e.reason, e.getMessage());
        });
        app.exception(InvalidMessageException.class, (e, ctx) -> refuse(ctx, 400, "bad_request", e.getMessage()));
        app.exception(StoreUnavailableException.class, (e, ctx) -> {
            // The log line names the store and the error; the answer only what happened and what to do, since the
            // caller may be anyone who reaches the port (no hosts, no exception text).
            log.error("Answering 503 to {} {}: {} ({})", ctx.method(), Mask.scrub(ctx.path()), e.getMessage(), storeName.get());
            ctx.header("Retry-After", "1");
            // The cause by name (StoreFault): the operator reads it in the answer, the metric and the doctor.
            StoreFault f = e.fault();
            String told = f == StoreFault.NOT_REPLICATED ? "the message is NOT acknowledged: " : "the message was NOT stored: ";
            refuse(ctx, 503, f.reason(), told + f.what("the configured Redis; the API's log names it") + ". For the operator: " + f.fix()
                    + ". Retry the same request (it is stored once, by its message id).");
        });
        app.exception(Exception.class, (e, ctx) -> {
            // The caller learns only that it happened and the id to quote; the details (which may hold the
            // payload's numbers or our internals) stay in the log line with the same id.
            String id = java.util.UUID.randomUUID().toString().substring(0, 8);
            log.error("Internal error {} on {} {}", id, ctx.method(), Mask.scrub(ctx.path()), e);
            refuse(ctx, 500, "internal", "internal error " + id + "; the message may not be stored: retry the same "
                    + "request (it is stored once, by its message id). The log line with " + id + " has the details.");
        });
        // With a reason like every other refusal, so a client (a bot asking a commit) can branch on it.
        app.error(404, ctx -> Answers.json(ctx, 404, Answers.refusal("not_found", ctx.attribute(NOT_FOUND) != null
                ? ctx.attribute(NOT_FOUND) : "no route " + ctx.method() + " " + ctx.path() + "; routes: "
                + String.join(", ", routes))));
        app.error(405, ctx -> Answers.json(ctx, 405, Answers.refusal("method_not_allowed", "method " + ctx.method()
                + " not allowed on " + ctx.path() + "; routes: " + String.join(", ", routes))));
    }

    /** Registers a route before {@link #start}; listed in the route list of 404 and 405 answers. */
    public HttpServer route(HandlerType method, String path, Handler handler) {
        app.addHttpHandler(method, path, handler);
        routes.add(method + " " + path);
        return this;
    }

    /** Also told of every refusal by its reason (the ingest log's summary counts them). */
    public void onRefused(Consumer<String> listener) {
        this.onRefused = listener;
    }

    /** Runs at {@link #close}, before the server stops (a front end's timers; held requests answered first). */
    public void onClose(Runnable r) {
        onClose.add(r);
    }

    /** The request rules of this server (client address, trusted callers), for the routes that need them. */
    public EdgeRules edge() {
        return edge;
    }

    public HttpServer start(String host, int port) {
        bindHost = host;
        bindPort = port;
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** HTTP connections open now. */
    public int openConnections() {
        return slowRequests.openConnections();
    }

    /** "METHOD path" of every route, in registration order. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    private void refuse(Context ctx, int status, String reason, String message) {
        metrics.rejected(reason);
        onRefused.accept(reason);
        Answers.json(ctx, status, Answers.refusal(reason, message));
    }

    @Override
    public void close() {
        onClose.forEach(Runnable::run);
        app.stop();
    }
}
