package io.rapidfire.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.Mask;
import io.rapidfire.core.StoreFault;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a thrown refusal, a store fault or a bug becomes an answer, for both servers of {@link HttpServer} (Javalin's
 * routes and the webhooks on the event loop): the status, Retry-After, the JSON body, the metric and the log line.
 * One place, so a 503 reads the same whichever server wrote it.
 */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger("rapidfire.ingest");

    /** An answer to write: {@code retryAfterSeconds} > 0 adds Retry-After. */
    record Answer(int status, long retryAfterSeconds, ObjectNode body) {
    }

    private final Metrics metrics;
    private final Supplier<String> storeName;
    private volatile Consumer<String> onRefused = reason -> { };

    Failures(Metrics metrics, Supplier<String> storeName) {
        this.metrics = metrics;
        this.storeName = storeName;
    }

    void onRefused(Consumer<String> listener) {
        this.onRefused = listener;
    }

    /** The answer to {@code thrown} on {@code method path}; counted and, for faults and bugs, logged. */
    Answer of(Throwable thrown, String method, String path) {
        Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (e instanceof Refused r) {
            return refuse(r.status, r.retryAfterSeconds, r.reason, r.getMessage());
        }
        if (e instanceof InvalidMessageException) {
            return refuse(400, 0, "bad_request", e.getMessage());
        }
        if (e instanceof StoreUnavailableException u) {
            // The log line names the store and the error; the answer only what happened and what to do, since the
            // caller may be anyone who reaches the port (no hosts, no exception text).
            log.error("Answering 503 to {} {}: {} ({})", method, Mask.scrub(path), u.getMessage(), storeName.get());
            // The cause by name (StoreFault): the operator reads it in the answer, the metric and the doctor.
            StoreFault f = u.fault();
            String told = f == StoreFault.NOT_REPLICATED ? "the message is NOT acknowledged: " : "the message was NOT stored: ";
            return refuse(503, 1, f.reason(), told + f.what("the configured Redis; the API's log names it")
                    + ". For the operator: " + f.fix() + ". Retry the same request (it is stored once, by its message id).");
        }
        // The caller learns only that it happened and the id to quote; the details (which may hold the payload's
        // numbers or our internals) stay in the log line with the same id.
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        log.error("Internal error {} on {} {}", id, method, Mask.scrub(path), e);
        return refuse(500, 0, "internal", "internal error " + id + "; the message may not be stored: retry the same "
                + "request (it is stored once, by its message id). The log line with " + id + " has the details.");
    }

    /** A refusal by reason, counted as every refusal is. */
    Answer refuse(int status, long retryAfterSeconds, String reason, String message) {
        metrics.rejected(reason);
        onRefused.accept(reason);
        return new Answer(status, retryAfterSeconds, Answers.refusal(reason, message));
    }
}
