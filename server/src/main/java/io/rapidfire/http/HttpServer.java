package io.rapidfire.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.rapidfire.ops.Metrics;

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
    /** The request attribute holding a 404's text ({@link Answers#notFound}). */
    static final String NOT_FOUND = "notFound";
    /** How long a shutdown waits for the webhooks being stored to be answered. */
    static final long DRAIN_MS = 5_000;

    private final Javalin app;
    private final EdgeRules edge;
    private final Failures failures;
    private final EventLoopServer front;
    private io.netty.channel.EventLoopGroup loops;
    private final List<String> routes = new ArrayList<>();
    private final List<Runnable> onClose = new ArrayList<>();

    /**
     * @param maxBodyBytes RAPIDFIRE_MAX_BODY_BYTES: the routes answer 413 naming it; Jetty's own limit (4x) only
     *                     guards against absurd bodies
     * @param storeName    names the store in the log line of a 503 (never in the answer)
     */
    public HttpServer(EdgeSettings settings, int maxBodyBytes, Metrics metrics, Supplier<String> storeName) {
        this.edge = new EdgeRules(settings);
        this.failures = new Failures(metrics, storeName);
        this.front = new EventLoopServer(settings, edge, failures, () -> metrics.rejected("request_timeout"));
        metrics.httpConnections(front::openConnections);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = Math.max(maxBodyBytes * 4L, 1_048_576L);
            // Jetty reuses a header value it saw earlier on the same keep-alive connection when the new one differs
            // only in case: "Bearer Admin-Token" would arrive as the previous request's "Bearer admin-token". Tokens
            // are compared case-sensitively, so the cache must be too (found by AdminAccessTest).
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            // Jetty listens on loopback only, behind the public port's server (EventLoopServer), which keeps the
            // connection limits and relays every request it does not serve itself. Each relayed connection starts
            // with a PROXY protocol line, so Jetty's peer is the client's real address.
            cfg.jetty.addConnector((server, http) -> {
                var c = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.ProxyConnectionFactory(org.eclipse.jetty.http.HttpVersion.HTTP_1_1.asString()),
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                c.setHost("127.0.0.1");
                c.setPort(0);
                c.setIdleTimeout(settings.idleTimeoutMs());
                return c;
            });
        });
        // Every state-changing request, on every route (webhooks, admin actions, routes plugged in later), is refused
        // when a browser sent it from another site (EdgeRules.refuseCrossSite; the webhooks on the event loop too).
        app.before(ctx -> {
            HandlerType m = ctx.method();
            if (m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.DELETE || m == HandlerType.PATCH) {
                edge.refuseCrossSite(JavalinRequests.head(ctx));
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            Failures.Answer a = failures.of(e, ctx.method().name(), ctx.path());
            if (a.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(a.retryAfterSeconds()));
            }
            Answers.json(ctx, a.status(), a.body());
        });
        // With a reason like every other refusal, so a client (a bot asking a commit) can branch on it.
        app.error(404, ctx -> Answers.json(ctx, 404, Answers.refusal("not_found", ctx.attribute(NOT_FOUND) != null
                ? ctx.attribute(NOT_FOUND) : "no route " + ctx.method() + " " + ctx.path() + "; routes: "
                + String.join(", ", routes))));
        app.error(405, ctx -> Answers.json(ctx, 405, Answers.refusal("method_not_allowed", "method " + ctx.method()
                + " not allowed on " + ctx.path() + "; routes: " + String.join(", ", routes))));
    }

    /** Routes served on the event loop, ahead of Javalin's (the webhooks); call before {@link #start}. */
    public HttpServer fastRoutes(FastRoutes r) {
        front.routes(r);
        return this;
    }

    /**
     * The event loops to serve the public port on: the Redis client's, so a webhook's append is answered on the
     * thread it was read on. Without it the server runs two loops of its own. Call before {@link #start}.
     */
    public HttpServer eventLoops(io.netty.channel.EventLoopGroup group) {
        this.loops = group;
        return this;
    }

    /** Registers a route before {@link #start}; listed in the route list of 404 and 405 answers. */
    public HttpServer route(HandlerType method, String path, Handler handler) {
        app.addHttpHandler(method, path, handler);
        routes.add(method + " " + path);
        return this;
    }

    /** Also told of every refusal by its reason (the ingest log's summary counts them). */
    public void onRefused(Consumer<String> listener) {
        failures.onRefused(listener);
    }

    /** Runs at {@link #close}, before the server stops (a front end's timers; held requests answered first). */
    public void onClose(Runnable r) {
        onClose.add(r);
    }

    /** The request rules of this server (client address, trusted callers), for the routes that need them. */
    public EdgeRules edge() {
        return edge;
    }

    /** Javalin on a loopback port first, then the public port ({@link EventLoopServer}) in front of it. */
    public HttpServer start(String host, int port) {
        app.start("127.0.0.1", 0);
        try {
            front.start(host, port, loops, app.port());
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        return this;
    }

    /** The public port. */
    public int port() {
        return front.port();
    }

    /** HTTP connections open now on the public port. */
    public int openConnections() {
        return front.openConnections();
    }

    /** "METHOD path" of every route, in registration order. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        onClose.forEach(Runnable::run);
        // The webhooks being stored finish and are answered first (up to the store's usual wait), then Javalin stops.
        front.close(DRAIN_MS);
        app.stop();
    }
}
