package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Policies;
import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.HttpServer;
import io.rapidfire.http.Readiness;
import io.rapidfire.ops.Metrics;
import io.rapidfire.ops.Registry;

import java.util.List;
import java.util.function.Supplier;

/**
 * The webhook side of the HTTP server: registers every webhook route of {@link WebhookRoutes} (each request goes
 * through {@link WebhookPipeline}), Meta's handshake, the bots' commit route and the health routes on one
 * {@link HttpServer}. Other front ends (admin, the dashboard) register on {@link #http()}; this class knows none of
 * them. See docs/formats-and-routes.md.
 */
public final class WebhookServer implements AutoCloseable {
    private final IngestSettings settings;
    private final Metrics metrics;
    private final SenderIdentity identity;
    private final IngestLog ingestLog = new IngestLog();
    private final HttpServer http;
    private final WebhookPipeline pipeline;
    private final CommitRoute commits;
    private final WebhookSpans spans = new WebhookSpans();

    /** @param policies the policies in force, e.g. a {@code PolicySource} (runtime overrides from the store) */
    public WebhookServer(BatchStore store, Supplier<Policies> policies, IngestSettings settings, Metrics metrics,
                         Registry registry) {
        this.settings = settings;
        this.metrics = metrics;
        this.identity = new SenderIdentity(settings.region(), settings.acceptGroups(), settings.acceptStatus());
        this.http = new HttpServer(settings.edge(), settings.maxBodyBytes(), metrics, store::describe);
        http.onRefused(ingestLog::refused);
        List<Route> routes = WebhookRoutes.all(settings, store);
        InboundStore storing = new InboundStore(new Batcher(store, policies), new IdentityLinks(store, store), metrics,
                settings.mediaReleases(), spans);
        this.pipeline = new WebhookPipeline(settings, identity, new RouteProtection(settings, http.edge(), routes),
                new RequestLimits(settings, metrics), storing, store, metrics, ingestLog, spans);
        this.commits = new CommitRoute(store, http.edge(), metrics, spans);
        // The webhooks on the event loop; registered with Javalin too, for what the event loop leaves to it.
        EventLoopWebhooks fast = new EventLoopWebhooks(settings, pipeline, routes);
        http.fastRoutes(fast);
        http.onClose(fast::close);
        http.onClose(ingestLog::close);
        http.onClose(commits::close);
        for (Route r : routes) {
            http.route(HandlerType.POST, r.path(), ctx -> webhook(ctx, r));
            if (r.byEvent()) {
                http.route(HandlerType.POST, r.path() + "/{event}", ctx -> {
                    if (!WebhookRoutes.isEvent(ctx.pathParam("event"))) {
                        throw Answers.notFound(ctx, "no route POST " + Answers.clip(ctx.path()) + ": " + r.path()
                                + "/<event> takes an event name of a-z 0-9 - (Evolution API's webhook by events, e.g. "
                                + "messages-upsert)");
                    }
                    webhook(ctx, r);
                });
            }
        }
        http.route(HandlerType.GET, "/webhook/whatsapp-cloud", new MetaHandshake(settings.metaVerifyToken())::answer);
        http.route(HandlerType.POST, WebhookSpans.COMMIT_ROUTE, commits::handle);
        Readiness.install(http, store, registry, settings.requireWorker(), metrics);
    }

    private void webhook(Context ctx, Route route) throws java.io.IOException {
        String channel = route.channel() != null ? route.channel() : channel(ctx);
        Answers.json(ctx, 200, pipeline.handle(new JavalinWebhookRequest(ctx, http.edge()), route, channel));
    }

    /**
     * Traces every webhook request and the append of each of its messages (and the bots' commits); without it, or
     * with Tracing.OFF, nothing is traced. Call before {@link #start}.
     */
    public WebhookServer tracing(io.rapidfire.trace.Tracing tracing) {
        spans.use(tracing);
        return this;
    }

    /** The {channel} of /webhook/{channel}: 404 unless it is a channel name (and configured, with RAPIDFIRE_CHANNELS). */
    private String channel(Context ctx) {
        String ch = ctx.pathParam("channel");
        if (!WebhookRoutes.isChannel(settings, ch)) {
            metrics.rejected("unknown_channel");
            throw Answers.notFound(ctx, "unknown channel '" + Answers.clip(ch) + "'; "
                    + (settings.channels().isEmpty() ? "channel names are 1-32 of a-z 0-9 -"
                    : "configured (RAPIDFIRE_CHANNELS): " + String.join(", ", settings.channels())));
        }
        return ch;
    }

    /**
     * Hands conversations to a human on the business's own messages and the keywords (HandoverTriggers). Without it
     * the business's messages are only ignored, as before handovers existed.
     */
    public WebhookServer handovers(io.rapidfire.core.HandoverControl control, HandoverSettings handover) {
        pipeline.handovers(new HandoverTriggers(control, handover));
        return this;
    }

    /**
     * Serves the public port on these event loops (the Redis client's: see {@link HttpServer#eventLoops}). Call
     * before {@link #start}.
     */
    public WebhookServer eventLoops(io.netty.channel.EventLoopGroup group) {
        http.eventLoops(group);
        return this;
    }

    /** The server the webhooks are on, for the other front ends to register their routes before {@link #start}. */
    public HttpServer http() {
        return http;
    }

    public WebhookServer start(String host, int port) {
        http.start(host, port);
        return this;
    }

    public int port() {
        return http.port();
    }

    /** HTTP connections open now. */
    public int openConnections() {
        return http.openConnections();
    }

    /** "METHOD path" of every route, in registration order. */
    public List<String> routes() {
        return http.routes();
    }

    /** One INFO summary of the requests answered per period (RAPIDFIRE_LOG_SUMMARY_MS); 0: none. */
    public WebhookServer logSummaryEvery(long periodMs) {
        ingestLog.summarizeEvery(periodMs);
        return this;
    }

    /**
     * Who may commit (the sink's secret; empty: direct loopback callers only) and how long a commit waits while the
     * person types (RAPIDFIRE_COMMIT_WAIT_MS); {@link CommitRoute}.
     */
    public WebhookServer commits(String sinkSecret, long maxWaitMs) {
        commits.configure(sinkSecret, maxWaitMs);
        return this;
    }

    /** The conversation of a phone on the WhatsApp channel, normalised as the webhooks do (for the admin routes). */
    public ConversationRef whatsappConversation(String tenant, String phone) {
        SenderIdentity.Sender s = identity.whatsapp(phone, null, "phone");
        if (s.id() == null) {
            throw new BadRequest("'" + Answers.clip(phone) + "' is not a single sender: " + s.ignored());
        }
        return new ConversationRef(tenant, "whatsapp", s.id());
    }

    @Override
    public void close() {
        http.close();
    }
}
