package io.rapidfire.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.ops.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health routes: {@code GET /health/live} (the process answers), {@code GET /metrics} (Prometheus text) and
 * {@code GET /health/ready} (also {@code /health}): the store answers and, for {@code rapidfire api}, a live worker is registered (else 503
 * with the reason). Open to load balancers and anyone else, so it gives states and fault names, never hosts or error
 * text (those are in the process's log and in {@code rapidfire doctor}).
 */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger("rapidfire.ingest");
    private final BatchStore store;
    private final Registry registry;
    private final boolean requireWorker;

    private Readiness(BatchStore store, Registry registry, boolean requireWorker) {
        this.store = store;
        this.registry = registry;
        this.requireWorker = requireWorker;
    }

    private static final String OPENMETRICS = "application/openmetrics-text";

    /** @param requireWorker ready only while a live worker is registered (`rapidfire api`) */
    public static void install(HttpServer http, BatchStore store, Registry registry, boolean requireWorker,
                               io.rapidfire.ops.Metrics metrics) {
        Readiness readiness = new Readiness(store, registry, requireWorker);
        http.route(io.javalin.http.HandlerType.GET, "/health/live", ctx -> Answers.json(ctx, 200,
                MessageCodec.JSON.createObjectNode().put("status", "live")));
        http.route(io.javalin.http.HandlerType.GET, "/health/ready", readiness::answer);
        http.route(io.javalin.http.HandlerType.GET, "/health", readiness::answer);
        http.route(io.javalin.http.HandlerType.GET, "/metrics", ctx -> {
            // OpenMetrics only when there are exemplars to show (tracing on) and the scraper asks for it (Prometheus
            // does by default); otherwise the Prometheus text format, exactly as before tracing existed.
            String accept = ctx.header("Accept");
            if (metrics.exemplars() && accept != null && accept.contains(OPENMETRICS)) {
                ctx.contentType(OPENMETRICS + "; version=1.0.0; charset=utf-8").result(metrics.scrape(OPENMETRICS));
            } else {
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            }
        });
    }

    void answer(Context ctx) {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        // Readiness is open to load balancers and anyone else: states and fault names, never hosts or error text
        // (those are in this process's log and in `rapidfire doctor`).
        try {
            store.nowMs();
        } catch (StoreUnavailableException e) {
            log.warn("Not ready: the store cannot be reached: {} ({})", e.getMessage(), store.describe());
            o.put("status", "not ready").put("reason", "store unreachable (" + e.fault().reason() + "); this "
                    + "process's log and `rapidfire doctor` name the cause");
            Answers.json(ctx, 503, o);
            return;
        }
        o.put("store", "reachable");
        if (requireWorker) {
            long workers;
            try {
                workers = registry.live().stream().filter(p -> p.delivers()).count();
            } catch (RuntimeException e) {
                // On a Cluster the registry is one key on one master; while that master is down this API still
                // takes the other slots' messages, so it stays in the load balancer.
                log.warn("Readiness: the registry cannot be read: {}", e.getMessage());
                o.put("liveWorkers", "unknown: the registry cannot be read (see this process's log)");
                o.put("status", "ready");
                Answers.json(ctx, 200, o);
                return;
            }
            o.put("liveWorkers", workers);
            if (workers == 0) {
                o.put("status", "not ready").put("reason", "no live worker registered (none heartbeated within "
                        + Registry.LIVE_HEARTBEATS + " of its heartbeat intervals): batches would pile up. Start `rapidfire worker` with the same REDIS_URL and "
                        + "RAPIDFIRE_NAMESPACE.");
                Answers.json(ctx, 503, o);
                return;
            }
        }
        o.put("status", "ready");
        Answers.json(ctx, 200, o);
    }
}
