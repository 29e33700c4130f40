package io.rapidfire.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.rapidfire.core.AppendResult;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.core.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The HTTP side: webhook routes answer 2xx only after the store has every message of the request (or knows
 * it as a duplicate), 503 with Retry-After when the store cannot take it (the platform retries; the message id
 * makes that retry safe), 400 naming the field for bad input. Bad input never reaches the store.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
    private static final int MAX_BODY_BYTES = 1_048_576;

    private final Batcher batcher;
    private final String defaultTenant;
    private final Javalin app;

    public WebhookServer(Batcher batcher, String defaultTenant) {
        this.batcher = batcher;
        this.defaultTenant = defaultTenant;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
        });
        app.post("/webhook/whatsapp/batched", this::whatsappBatched);
        app.get("/health", this::health);
        app.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(InvalidMessageException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(StoreUnavailableException.class, (e, ctx) -> {
            log.error("Answering 503 to {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", "1");
            error(ctx, 503, "the message was NOT stored: the batch store is unavailable (" + batcher.store().describe()
                    + "). Retry the same request.");
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error; the message may not be stored, retry it: " + e);
        });
        app.error(404, ctx -> error(ctx, 404, "no route " + ctx.method() + " " + ctx.path()
                + "; routes: POST /webhook/whatsapp/batched, GET /health"));
    }

    public WebhookServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    private void whatsappBatched(Context ctx) {
        List<Message> messages = OriginalFormat.parse(json(ctx), defaultTenant, "whatsapp");
        int accepted = 0;
        int duplicates = 0;
        AppendResult last = null;
        for (Message m : messages) {
            last = batcher.append(m);
            if (last.duplicate()) {
                duplicates++;
            } else {
                accepted++;
            }
        }
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("success", true);
        o.put("accepted", accepted);
        o.put("duplicates", duplicates);
        o.put("conversation", messages.get(messages.size() - 1).conversation().key());
        o.put("openMessages", last.openMessages());
        o.put("dueAt", last.dueAtMs());
        ctx.status(200).contentType("application/json").result(o.toString());
    }

    private void health(Context ctx) {
        StoreCounts c = batcher.store().counts();
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("status", "ok");
        o.put("store", batcher.store().describe());
        o.put("pending", c.pending());
        o.put("inflight", c.inflight());
        o.put("deadLetters", c.deadLetters());
        ctx.contentType("application/json").result(o.toString());
    }

    private static JsonNode json(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new BadRequest("the body is empty; expected JSON: " + OriginalFormat.SHAPES);
        }
        try {
            return MessageCodec.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "); expected "
                    + OriginalFormat.SHAPES);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("success", false);
        o.put("error", message);
        ctx.status(status).contentType("application/json").result(o.toString());
    }

    @Override
    public void close() {
        app.stop();
    }
}
