package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

import io.rapidfire.http.Names;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.SharedState;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.EdgeRules;
import io.rapidfire.ops.Metrics;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * One webhook request, stage by stage, the cheapest first: caller (401) → address limit (429) → JSON content type
 * (415) → body within its limit (413) → signature over the body (401) → parse (400, naming the field) → stale
 * messages dropped → sender limits (429) → store every message (503 if the store cannot) → the answer. A stage that
 * refuses throws ({@link io.rapidfire.http.Refused}); a 2xx is only built once the store has every message of the
 * request or knows it as a duplicate, so a refused request stored nothing. Nothing here reads Javalin.
 */
final class WebhookPipeline {
    /** Channels named as themselves in metric labels without RAPIDFIRE_CHANNELS; other names share "other". */
    private static final Set<String> KNOWN_CHANNELS = Set.of("whatsapp", "telegram", "web", "chatwoot");

    private final IngestSettings settings;
    private final SenderIdentity identity;
    private final RouteProtection protection;
    private final RequestLimits limits;
    private final InboundStore storing;
    private final SharedState marks;
    private final Metrics metrics;
    private final IngestLog ingestLog;
    private final WebhookSpans spans;
    /** Bodies over RAPIDFIRE_MAX_BODY_BYTES being read at once (BridgeBody). */
    private final Semaphore largeBodies = new Semaphore(BridgeBody.STREAMS);

    WebhookPipeline(IngestSettings settings, SenderIdentity identity, RouteProtection protection, RequestLimits limits,
                    InboundStore storing, SharedState marks, Metrics metrics, IngestLog ingestLog, WebhookSpans spans) {
        this.spans = spans;
        this.settings = settings;
        this.identity = identity;
        this.protection = protection;
        this.limits = limits;
        this.storing = storing;
        this.marks = marks;
        this.metrics = metrics;
        this.ingestLog = ingestLog;
    }

    private volatile HandoverTriggers triggers;

    /** Hands conversations over on the business's own messages and the keywords (null: never). */
    void handovers(HandoverTriggers t) {
        this.triggers = t;
    }

    /** The 200 answer's body, on the calling thread (Javalin's); throws for every refusal. */
    JsonNode handle(WebhookRequest req, Route route, String channel) throws java.io.IOException {
        try {
            return handle(req, route, channel, Runnable::run).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * The 200 answer's body, or the refusal as the future's failure. The stages run on the calling thread (an event
     * loop) as long as they only compute and append; a request that needs the store otherwise (replay marks, a lid
     * to look up, typing events, handovers) continues on {@code waiting}, whose threads may wait for Redis.
     * Header-only checks come before the body is read.
     */
    java.util.concurrent.CompletableFuture<JsonNode> handle(WebhookRequest req, Route route, String channel,
                                                            java.util.concurrent.Executor waiting) throws java.io.IOException {
        java.time.Instant startedAt = spans.on() ? java.time.Instant.now() : null;
        RouteProtection.Caller caller = protection.checkCaller(req, route);
        limits.checkRequest(req.client());
        EdgeRules.requireJson(req);
        // Within RAPIDFIRE_MAX_BODY_BYTES a bridge's body is read as every body is (BridgeBody); only a larger or
        // chunked one on the bridge route is streamed.
        long declared = req.contentLength();
        BridgeBody.Body body = route.streamed() && (declared < 0 || declared > settings.maxBodyBytes())
                ? BridgeBody.read(req.body(), declared, settings.maxBodyBytes(),
                settings.edge().bridgeBodyBytes(), protection.streamingMac(req, route, caller), largeBodies)
                : new BridgeBody.Body(req.bodyWithin(settings.maxBodyBytes(), "RAPIDFIRE_MAX_BODY_BYTES"), null);
        String tenant = tenant(req);
        if (caller == RouteProtection.Caller.SIGNED && route.verifier().readsStore()) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> verified(req, route, channel, tenant,
                    caller, body, startedAt, Runnable::run), waiting).thenCompose(f -> f);
        }
        return verified(req, route, channel, tenant, caller, body, startedAt, waiting);
    }

    /** The body's signature, then the rest under the request's span. */
    private java.util.concurrent.CompletableFuture<JsonNode> verified(WebhookRequest req, Route route, String channel,
            String tenant, RouteProtection.Caller caller, BridgeBody.Body body, java.time.Instant startedAt,
            java.util.concurrent.Executor waiting) {
        Signatures.Replay replay = protection.checkBody(req, route, caller, body, tenant);
        // Traced from here: the caller is who the route trusts, so only it continues a trace (an unauthenticated
        // flood makes no span, cannot force sampling and cannot join a batch's trace); the span still starts when
        // the request came in.
        io.opentelemetry.api.trace.Span span = spans.on() ? spans.request(req, route.path(), startedAt) : null;
        java.util.concurrent.CompletableFuture<JsonNode> answer;
        try (io.opentelemetry.context.Scope current = span == null ? null : span.makeCurrent()) {
            answer = adaptAndStore(req, route, channel, tenant, caller, body, replay, waiting);
        } catch (RuntimeException e) {
            answer = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        return span == null ? answer : answer.whenComplete((a, e) -> WebhookSpans.end(span,
                e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e));
    }

    /** The stages after the caller is known: parse, limits, handovers, store, the answer. */
    private java.util.concurrent.CompletableFuture<JsonNode> adaptAndStore(WebhookRequest req, Route route,
            String channel, String tenant, RouteProtection.Caller caller, BridgeBody.Body body,
            Signatures.Replay replay, java.util.concurrent.Executor waiting) {
        InboundContext ictx = new InboundContext(tenant, channel, identity, settings.acceptFromMe());
        Inbound in = protection.withoutStale(route.format().parse(json(body.json()), ictx), route, caller);
        limits.checkItems(req.client(), in);
        HandoverTriggers t = triggers;
        if (replay == null && !storing.waits(in) && (t == null || !t.acts(in))) {
            return storing.storeAsync(in, route.passthrough()).thenApply(stored -> answer(channel, in, stored));
        }
        java.util.function.Supplier<JsonNode> store = () -> {
            int handovers = t == null ? 0 : t.beforeStoring(in);
            InboundStore.Stored stored = storing.store(in, route.passthrough());
            handovers += t == null ? 0 : t.afterStoring(in);
            if (replay != null) {
                replay.commit(marks);
            }
            JsonNode answer = answer(channel, in, stored);
            if (handovers > 0) {
                ((ObjectNode) answer).put("handovers", handovers);
            }
            return answer;
        };
        return java.util.concurrent.CompletableFuture.supplyAsync(spans.on()
                ? io.opentelemetry.context.Context.current().wrapSupplier(store) : store, waiting);
    }

    /** What was stored; counted in the metrics and the periodic log summary. */
    private JsonNode answer(String channel, Inbound in, InboundStore.Stored stored) {
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
        return o;
    }

    /**
     * The channel as a metric label. Without RAPIDFIRE_CHANNELS any name is accepted on /webhook/{channel}, and a
     * label per made-up name would grow the metrics without bound: names outside the configured list (or, without
     * one, outside whatsapp, telegram, web and chatwoot) share the label "other".
     */
    private String metricLabel(String channel) {
        boolean listed = settings.channels().isEmpty() ? KNOWN_CHANNELS.contains(channel)
                : settings.channels().contains(channel);
        return listed ? channel : "other";
    }

    private String tenant(WebhookRequest req) {
        String t = req.query("companyId");
        if (t == null) {
            t = req.query("tenant");
        }
        return t == null ? settings.defaultTenant() : Names.tenant(t, "query parameter companyId/tenant");
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
}
