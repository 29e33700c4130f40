package io.rapidfire.ingest;

import io.rapidfire.config.WebhookRoute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.Policies;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.StoreFault;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.core.Mask;
import io.rapidfire.ops.Metrics;
import io.rapidfire.ops.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP side. Every webhook route goes through the same named stages ({@link #webhook}): size limit (413) →
 * signature (401) → per-IP rate limit (429) → parse and adapt the payload (400, naming the field) → per-sender
 * rate limit (429) → store every message (503 if the store cannot) → answer 200. A 2xx is only sent once the
 * store has every message of the request or knows it as a duplicate; a rejected request stores nothing. The
 * route list in error answers is built from the routes as they are registered. See docs/formats-and-routes.md.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rapidfire.ingest");
    private final Batcher batcher;
    private final BatchStore store;
    private final List<String> routes = new java.util.ArrayList<>();
    private final IngestSettings settings;
    private final Metrics metrics;
    private final Registry registry;
    private final SenderIdentity identity;
    private final RateLimiter perSender;
    private final RateLimiter perIp;
    private final AdminRoutes admin;
    private final AdminApi adminApi;
    private final IngestLog ingestLog = new IngestLog();
    private final EdgeRules edge;
    private final RouteProtection protection;
    private final InboundStore storing;
    /** Bodies over RAPIDFIRE_MAX_BODY_BYTES being read at once (BridgeBody). */
    private final java.util.concurrent.Semaphore largeBodies = new java.util.concurrent.Semaphore(BridgeBody.STREAMS);
    private final SlowRequestGuard slowRequests;
    private final Javalin app;
    private final CommitRoute commits;
    private volatile String bindHost;
    private volatile int bindPort;

    /** @param policies the policies in force, e.g. a {@code PolicySource} (runtime overrides from the store) */
    public WebhookServer(BatchStore store, Supplier<Policies> policies, IngestSettings settings, Metrics metrics,
                         Registry registry) {
        this.store = store;
        this.batcher = new Batcher(store, policies);
        this.settings = settings;
        this.metrics = metrics;
        this.registry = registry;
        this.identity = new SenderIdentity(settings.region(), settings.acceptGroups(), settings.acceptStatus());
        this.perSender = new RateLimiter(settings.senderBurst(), settings.senderPerSecond());
        this.perIp = new RateLimiter(settings.ipBurst(), settings.ipPerSecond());
        metrics.limiterEvictions("sender", perSender::evictions);
        metrics.limiterEvictions("ip", perIp::evictions);
        this.edge = new EdgeRules(settings.edge());
        this.protection = new RouteProtection(settings, store, edge);
        this.storing = new InboundStore(batcher, new IdentityLinks(store, store), metrics, settings.mediaReleases());
        this.slowRequests = new SlowRequestGuard(settings.edge().requestTimeoutMs(), () -> metrics.rejected("request_timeout"));
        metrics.httpConnections(slowRequests::openConnections);
        AdminAccess access = new AdminAccess(settings, edge);
        this.admin = new AdminRoutes(store, settings, identity, registry, policies, access);
        this.adminApi = new AdminApi(store, registry, access, settings.defaultTenant());
        this.commits = new CommitRoute(store, edge, metrics);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            // Our own 413 below says what the limit is; Jetty's limit only guards against absurd bodies.
            cfg.http.maxRequestSize = Math.max(settings.maxBodyBytes() * 4L, 1_048_576L);
            // Jetty reuses a header value it saw earlier on the same keep-alive connection when the new one differs
            // only in case: "Bearer Admin-Token" would arrive as the previous request's "Bearer admin-token". Tokens
            // are compared case-sensitively, so the cache must be too (found by AdminAccessTest).
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            // Connections: at most RAPIDFIRE_MAX_CONNECTIONS open (beyond it the acceptor waits, new ones queue in the
            // kernel), a silent one closed after RAPIDFIRE_IDLE_TIMEOUT_MS, a slow request after
            // RAPIDFIRE_REQUEST_TIMEOUT_MS (SlowRequestGuard).
            EdgeSettings e = settings.edge();
            cfg.jetty.modifyServer(server -> server.addBean(new org.eclipse.jetty.server.ConnectionLimit(e.maxConnections(), server)));
            cfg.jetty.addConnector((server, http) -> {
                var c = new org.eclipse.jetty.server.ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                c.setHost(bindHost);
                c.setPort(bindPort);
                c.setIdleTimeout(e.idleTimeoutMs());
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
        route(HandlerType.POST, "/webhook/whatsapp/batched", ctx -> webhook(ctx, "whatsapp", Route.WHATSAPP_BATCHED));
        route(HandlerType.POST, "/webhook/whatsapp", ctx -> webhook(ctx, "whatsapp", Route.WHATSAPP_PASSTHROUGH));
        // Evolution API's "webhook by events" posts each event to <url>/<event-name> (messages-upsert, presence-update).
        route(HandlerType.POST, "/webhook/whatsapp/batched/{event}", ctx -> {
            if (!ctx.pathParam("event").matches("[a-z0-9-]{1,40}")) {
                ctx.attribute("notFound", "no route POST " + SenderIdentity.clip(ctx.path()) + ": /webhook/whatsapp/batched/"
                        + "<event> takes an event name of a-z 0-9 - (Evolution API's webhook by events, e.g. messages-upsert)");
                throw new io.javalin.http.NotFoundResponse();
            }
            webhook(ctx, "whatsapp", Route.WHATSAPP_BATCHED);
        });
        route(HandlerType.GET, "/webhook/whatsapp/batched/stats", admin::stats);
        route(HandlerType.DELETE, "/webhook/whatsapp/batched/{phone}", admin::clear);
        route(HandlerType.POST, "/webhook/whatsapp/batched/{phone}/flush", admin::flush);
        route(HandlerType.GET, "/admin/policies", admin::policies);
        route(HandlerType.PUT, "/admin/policies/{tenant}", admin::setPolicy);
        route(HandlerType.DELETE, "/admin/policies/{tenant}", admin::resetPolicy);
        route(HandlerType.GET, "/admin/overview", adminApi::overview);
        route(HandlerType.GET, "/admin/conversations", adminApi::conversations);
        route(HandlerType.POST, "/admin/conversations/{key}/flush", adminApi::flush);
        route(HandlerType.DELETE, "/admin/conversations/{key}", adminApi::clear);
        route(HandlerType.GET, "/admin/dead-letters", adminApi::deadLetters);
        route(HandlerType.GET, "/admin/dead-letters/{batchId}", adminApi::deadLetter);
        route(HandlerType.POST, "/admin/dead-letters/{batchId}/replay", adminApi::replay);
        route(HandlerType.DELETE, "/admin/dead-letters/{batchId}", adminApi::purge);
        route(HandlerType.GET, "/admin/processes", adminApi::processes);
        route(HandlerType.GET, "/admin/links/{lid}", adminApi::link);
        route(HandlerType.DELETE, "/admin/links/{lid}", adminApi::unlink);
        route(HandlerType.POST, "/admin/doctor", adminApi::runDoctor);
        route(HandlerType.POST, "/v1/batches/{batchId}/commit", commits::handle);
        route(HandlerType.GET, "/webhook/whatsapp-cloud", this::metaHandshake);
        route(HandlerType.POST, "/webhook/whatsapp-cloud", ctx -> webhook(ctx, "whatsapp", Route.CLOUD));
        route(HandlerType.POST, "/webhook/telegram", ctx -> webhook(ctx, "telegram", Route.TELEGRAM));
        route(HandlerType.POST, "/webhook/waha", ctx -> webhook(ctx, "whatsapp", Route.WAHA));
        route(HandlerType.POST, "/webhook/chatwoot", ctx -> webhook(ctx, "chatwoot", Route.CHATWOOT));
        route(HandlerType.POST, "/webhook/z-api", ctx -> webhook(ctx, "whatsapp", Route.ZAPI));
        route(HandlerType.POST, "/webhook/{channel}", ctx -> webhook(ctx, channel(ctx), Route.GENERIC));
        route(HandlerType.GET, "/health/live", ctx -> json(ctx, 200, MessageCodec.JSON.createObjectNode().put("status", "live")));
        Readiness readiness = new Readiness(store, registry, settings.requireWorker());
        route(HandlerType.GET, "/health/ready", readiness::answer);
        route(HandlerType.GET, "/health", readiness::answer);
        route(HandlerType.GET, "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

        app.exception(Refused.class, (e, ctx) -> {
            if (e.retryAfterSeconds > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            }
            reject(ctx, e.status, e.reason, e.getMessage());
        });
        app.exception(BadRequest.class, (e, ctx) -> reject(ctx, 400, "bad_request", e.getMessage()));
        app.exception(InvalidMessageException.class, (e, ctx) -> reject(ctx, 400, "bad_request", e.getMessage()));
        app.exception(Unauthorized.class, (e, ctx) -> reject(ctx, e.status, e.reason, e.getMessage()));
        app.exception(Throttled.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.seconds));
            reject(ctx, 429, e.reason, e.getMessage() + "; retry after " + e.seconds + " s");
        });
        app.exception(StoreUnavailableException.class, (e, ctx) -> {
            // The log line names the store and the error; the answer only what happened and what to do, since the
            // caller may be anyone who reaches the port (no hosts, no exception text).
            log.error("Answering 503 to {} {}: {} ({})", ctx.method(), ctx.path(), e.getMessage(), store.describe());
            ctx.header("Retry-After", "1");
            // The cause by name (StoreFault): the operator reads it in the answer, the metric and the doctor.
            StoreFault f = e.fault();
            String told = f == StoreFault.NOT_REPLICATED ? "the message is NOT acknowledged: " : "the message was NOT stored: ";
            reject(ctx, 503, f.reason(), told + f.what("the configured Redis; the API's log names it") + ". For the operator: " + f.fix()
                    + ". Retry the same request (it is stored once, by its message id).");
        });
        app.exception(Exception.class, (e, ctx) -> {
            // The caller learns only that it happened and the id to quote; the details (which may hold the
            // payload's numbers or our internals) stay in the log line with the same id.
            String id = java.util.UUID.randomUUID().toString().substring(0, 8);
            log.error("Internal error {} on {} {}", id, ctx.method(), ctx.path(), e);
            reject(ctx, 500, "internal", "internal error " + id + "; the message may not be stored: retry the same "
                    + "request (it is stored once, by its message id). The log line with " + id + " has the details.");
        });
        app.error(404, ctx -> error(ctx, 404, ctx.attribute("notFound") != null ? ctx.attribute("notFound")
                : "no route " + ctx.method() + " " + ctx.path() + "; routes: " + String.join(", ", routes)));
        app.error(405, ctx -> error(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path() + "; routes: "
                + String.join(", ", routes)));
    }

    /** Registers a route and remembers it for the route list error answers show. */
    private void route(HandlerType method, String path, io.javalin.http.Handler handler) {
        app.addHttpHandler(method, path, handler);
        routes.add(method + " " + path);
    }

    enum Route {
        WHATSAPP_BATCHED(WebhookRoute.WHATSAPP), WHATSAPP_PASSTHROUGH(WebhookRoute.WHATSAPP),
        CLOUD(WebhookRoute.WHATSAPP_CLOUD), TELEGRAM(WebhookRoute.TELEGRAM), GENERIC(WebhookRoute.CHANNELS),
        WAHA(WebhookRoute.WAHA), CHATWOOT(WebhookRoute.CHATWOOT), ZAPI(WebhookRoute.ZAPI);

        /** As the operator names it (RAPIDFIRE_OPEN_ROUTES), with its secret. */
        final WebhookRoute named;

        Route(WebhookRoute named) {
            this.named = named;
        }
    }

    /** 429 with Retry-After: too many attempts of one kind from one address. */
    static final class Throttled extends RuntimeException {
        final String reason;
        final long seconds;

        Throttled(String reason, long seconds, String message) {
            super(message);
            this.reason = reason;
            this.seconds = seconds;
        }
    }

    static final class Unauthorized extends RuntimeException {
        final String reason;
        final int status;

        Unauthorized(String reason, String message) {
            this(401, reason, message);
        }

        /** 401: credentials missing or wrong; 403: this caller may not use the route at all. */
        Unauthorized(int status, String reason, String message) {
            super(message);
            this.reason = reason;
            this.status = status;
        }
    }

    public WebhookServer start(String host, int port) {
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

    /** One INFO summary of the requests answered per period (RAPIDFIRE_LOG_SUMMARY_MS); 0: none. */
    public WebhookServer logSummaryEvery(long periodMs) {
        ingestLog.summarizeEvery(periodMs);
        return this;
    }

    private String channel(Context ctx) {
        String ch = ctx.pathParam("channel");
        boolean known = ch.matches("[a-z0-9][a-z0-9-]{0,31}")
                && (settings.channels().isEmpty() || settings.channels().contains(ch));
        if (!known) {
            ctx.attribute("notFound", "unknown channel '" + SenderIdentity.clip(ch) + "'; "
                    + (settings.channels().isEmpty() ? "channel names are 1-32 of a-z 0-9 -"
                    : "configured (RAPIDFIRE_CHANNELS): " + String.join(", ", settings.channels())));
            metrics.rejected("unknown_channel");
            throw new io.javalin.http.NotFoundResponse();
        }
        return ch;
    }

    /**
     * The channel as a metric label. Without RAPIDFIRE_CHANNELS any name is accepted on /webhook/{channel}, and a
     * label per made-up name would grow the metrics without bound: names outside the configured list (or, without
     * one, outside whatsapp, telegram and web) share the label "other".
     */
    private String metricLabel(String channel) {
        boolean listed = settings.channels().isEmpty() ? KNOWN_CHANNELS.contains(channel)
                : settings.channels().contains(channel);
        return listed ? channel : "other";
    }

    private static final java.util.Set<String> KNOWN_CHANNELS = java.util.Set.of("whatsapp", "telegram", "web", "chatwoot");

    /**
     * One webhook request, stage by stage, the cheapest first; a stage that refuses answers and ends the request.
     * Header-only checks come before the body is read (cross-site writes were refused before this, for every route).
     */
    private void webhook(Context ctx, String channel, Route route) throws java.io.IOException {
        String client = JavalinRequests.client(ctx, edge);
        RequestHead head = JavalinRequests.head(ctx);
        protection.checkCaller(ctx, head, client, route);
        if (!withinIpLimit(ctx, client)) {
            return;
        }
        EdgeRules.requireJson(head);
        BridgeBody.Body body = route == Route.WHATSAPP_BATCHED || route == Route.WHATSAPP_PASSTHROUGH
                ? BridgeBody.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), settings.maxBodyBytes(),
                settings.edge().bridgeBodyBytes(), protection.streamingMac(ctx, route), largeBodies)
                : new BridgeBody.Body(EdgeRules.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                settings.maxBodyBytes(), "RAPIDFIRE_MAX_BODY_BYTES"), null);
        byte[] raw = body.json();
        Signatures.Replay replay = protection.checkSignature(ctx, route, body, tenant(ctx));
        Inbound in = protection.withoutStale(ctx, parse(ctx, channel, route, raw), route);
        if (!withinSenderLimits(ctx, client, in)) {
            return;
        }
        InboundStore.Stored stored = storing.store(in, route == Route.WHATSAPP_PASSTHROUGH);
        if (replay != null) {
            replay.commit(store);
        }
        answer(ctx, channel, in, stored);
    }

    /** 429 when this IP sends faster than RAPIDFIRE_RATE_IP_*. */
    private boolean withinIpLimit(Context ctx, String client) {
        long wait = perIp.take(client, 1);
        if (wait > 0) {
            tooMany(ctx, wait, "too many requests from " + client + " (RAPIDFIRE_RATE_IP_BURST, RAPIDFIRE_RATE_IP_PER_SEC)");
            return false;
        }
        return true;
    }

    /** 400 (BadRequest) naming the field, before anything is stored. */
    private Inbound parse(Context ctx, String channel, Route route, byte[] raw) {
        JsonNode body = json(raw);
        InboundContext ictx = new InboundContext(tenant(ctx), channel, identity, settings.acceptFromMe());
        return switch (route) {
            case WHATSAPP_BATCHED, WHATSAPP_PASSTHROUGH -> WhatsAppShapes.parse(body, ictx);
            case CLOUD -> CloudApiFormat.parse(body, ictx);
            case TELEGRAM -> TelegramFormat.parse(body, ictx, settings.acceptGroups());
            case WAHA -> WahaFormat.parse(body, ictx);
            case CHATWOOT -> ChatwootFormat.parse(body, ictx);
            case ZAPI -> ZapiFormat.parse(body, ictx);
            case GENERIC -> PresenceFormat.isGeneric(body) ? PresenceFormat.generic(body, ictx) : GenericFormat.parse(body, ictx);
        };
    }

    /**
     * Limits are charged per message (and typing event): the IP for every one beyond the request's first token,
     * each sender for theirs. 429 when over, nothing of the request stored. A request that could never pass (more
     * than a burst in itself) is 413 naming the limit, not a 429 whose Retry-After cannot be honoured.
     */
    private boolean withinSenderLimits(Context ctx, String client, Inbound in) {
        Map<String, Integer> perConversation = new HashMap<>();
        for (Message m : in.messages()) {
            perConversation.merge(m.conversation().key(), 1, Integer::sum);
        }
        for (Inbound.Presence p : in.presence()) {
            perConversation.merge(p.conversation().key(), 1, Integer::sum);
        }
        int items = in.messages().size() + in.presence().size();
        if (perIp.enabled() && items > perIp.burst()) {
            reject(ctx, 413, "too_large", "this request carries " + items + " messages and events; at most "
                    + perIp.burst() + " are accepted from one address at once (RAPIDFIRE_RATE_IP_BURST): split it");
            return false;
        }
        int most = perConversation.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (perSender.enabled() && most > perSender.burst()) {
            reject(ctx, 413, "too_large", "this request carries " + most + " messages and events from one sender; at "
                    + "most " + perSender.burst() + " are accepted at once (RAPIDFIRE_RATE_SENDER_BURST): split it");
            return false;
        }
        long ipWait = perIp.take(client, items - 1);
        if (ipWait > 0) {
            tooMany(ctx, ipWait, "too many messages from " + client + " (RAPIDFIRE_RATE_IP_BURST, "
                    + "RAPIDFIRE_RATE_IP_PER_SEC count messages); nothing stored");
            return false;
        }
        for (Map.Entry<String, Integer> e : perConversation.entrySet()) {
            long w = perSender.take(e.getKey(), e.getValue());
            if (w > 0) {
                tooMany(ctx, w, "sender " + Mask.conversation(e.getKey()) + " sends faster than "
                        + settings.senderBurst() + " messages at once / " + Math.round(settings.senderPerSecond() * 60)
                        + " per minute (RAPIDFIRE_RATE_SENDER_BURST, RAPIDFIRE_RATE_SENDER_PER_MIN); nothing stored");
                return false;
            }
        }
        return true;
    }

    /** 200 with what was stored; counted in the metrics and the periodic log summary. */
    private void answer(Context ctx, String channel, Inbound in, InboundStore.Stored stored) {
        String label = metricLabel(channel);
        metrics.received(label, in.format(), stored.accepted());
        metrics.duplicates(label, stored.duplicates());
        metrics.ignored(label, in.ignored().size());
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("success", true);
        o.put("format", in.format());
        o.put("accepted", stored.accepted());
        o.put("duplicates", stored.duplicates());
        o.put("ignored", in.ignored().size());
        if (!in.presence().isEmpty()) {
            // Recorded in an open conversation's pace; the others named a sender with nothing pending.
            o.put("presence", in.presence().size()).put("presenceRecorded", stored.presence());
        }
        if (!in.ignored().isEmpty()) {
            ArrayNode why = o.putArray("ignoredReasons");
            in.ignored().stream().distinct().forEach(why::add);
        }
        String conversation = null;
        if (!in.messages().isEmpty()) {
            conversation = in.messages().get(in.messages().size() - 1).conversation().key();
            o.put("conversation", conversation);
            o.put("openMessages", stored.last().openMessages());
            o.put("dueAt", stored.last().dueAtMs());
        }
        ingestLog.accepted(in.format(), channel, conversation, stored.accepted(), stored.duplicates(),
                in.ignored().size());
        json(ctx, 200, o);
    }


    private String tenant(Context ctx) {
        String t = ctx.queryParam("companyId");
        if (t == null) {
            t = ctx.queryParam("tenant");
        }
        if (t == null) {
            return settings.defaultTenant();
        }
        return Fields.tenant(t, "query parameter companyId/tenant");
    }

    private void metaHandshake(Context ctx) {
        String mode = ctx.queryParam("hub.mode");
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        if (settings.metaVerifyToken().isEmpty()) {
            reject(ctx, 403, "unauthorized", "RAPIDFIRE_META_VERIFY_TOKEN is not set: set it to the verify token you "
                    + "entered in the Meta app dashboard");
        } else if (!"subscribe".equals(mode) || token == null || challenge == null) {
            reject(ctx, 400, "bad_request", "expected hub.mode=subscribe, hub.verify_token and hub.challenge query parameters");
        } else if (!Signatures.sameToken(settings.metaVerifyToken(), token)) {
            reject(ctx, 403, "unauthorized", "hub.verify_token does not match RAPIDFIRE_META_VERIFY_TOKEN");
        } else {
            ctx.contentType("text/plain").result(challenge);
        }
    }

    private void tooMany(Context ctx, long seconds, String why) {
        ctx.header("Retry-After", Long.toString(seconds));
        reject(ctx, 429, "rate_limited", why + "; retry after " + seconds + " s");
    }

    private static JsonNode json(byte[] raw) {
        if (raw.length == 0 || new String(raw, StandardCharsets.UTF_8).isBlank()) {
            throw new BadRequest("the body is empty; expected JSON");
        }
        try {
            return MessageCodec.JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new BadRequest("the body is not valid JSON (" + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
        } catch (java.io.IOException e) {
            throw new BadRequest("the body cannot be read: " + e.getMessage());
        }
    }

    private void reject(Context ctx, int status, String reason, String message) {
        metrics.rejected(reason);
        ingestLog.refused(reason);
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("success", false);
        o.put("reason", reason);
        o.put("error", message);
        json(ctx, status, o);
    }

    /** 404 with a message, for routes plugged in from outside this package. */
    public static void notFound(Context ctx, String message) {
        error(ctx, 404, message);
    }

    static void error(Context ctx, int status, String message) {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("success", false);
        o.put("error", message);
        json(ctx, status, o);
    }

    /** Every JSON answer (webhook answers, admin data, refusals) is for this caller only: never stored by a cache. */
    static void json(Context ctx, int status, JsonNode o) {
        ctx.status(status).contentType("application/json").header("Cache-Control", "no-store").result(o.toString());
    }

    @Override
    public void close() {
        ingestLog.close();
        commits.close();
        app.stop();
    }

    /** For the admin routes: the conversation of a phone on the WhatsApp channel. */
    static ConversationRef whatsappConversation(String tenant, SenderIdentity identity, String phone) {
        SenderIdentity.Sender s = identity.whatsapp(phone, null, "phone");
        if (s.id() == null) {
            throw new BadRequest("'" + SenderIdentity.clip(phone) + "' is not a single sender: " + s.ignored());
        }
        return new ConversationRef(tenant, "whatsapp", s.id());
    }

    /**
     * Who may commit (the sink's secret; empty: direct loopback callers only) and how long a commit waits while the
     * person types (RAPIDFIRE_COMMIT_WAIT_MS); {@link CommitRoute}.
     */
    public WebhookServer commits(String sinkSecret, long maxWaitMs) {
        commits.configure(sinkSecret, maxWaitMs);
        return this;
    }

    /** The doctor behind POST /admin/doctor (the process sets it when it runs on Redis). */
    public WebhookServer doctor(java.util.function.Supplier<JsonNode> runner) {
        adminApi.doctor(runner);
        return this;
    }

    /**
     * Adds routes before {@link #start}: how another layer (the dashboard) plugs in without this server depending on
     * it. Listed in the route list of error answers like the server's own.
     */
    public WebhookServer extend(HandlerType method, String path, io.javalin.http.Handler handler) {
        route(method, path, handler);
        return this;
    }

    /** "METHOD path" of every route, in registration order. */
    public List<String> routes() {
        return List.copyOf(routes);
    }
}
