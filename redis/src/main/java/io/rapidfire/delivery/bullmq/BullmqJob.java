package io.rapidfire.delivery.bullmq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;

import java.time.Instant;

/**
 * A batch as the original system's job: its data field for field, so its AI worker reads it unchanged, plus
 * Rapidfire's {@code batchId}, {@code reason} and the structured {@code messages}. The mapping (docs/sinks.md):
 * <pre>
 * from          the conversation id (the phone, +79001234567; tg:123 on Telegram)
 * message       the batch text (the messages joined by the policy's joiner, trimmed)
 * companyId     the tenant
 * platform      the channel (whatsapp, telegram, ...)
 * timestamp     ISO 8601 of the last message (store clock)
 * metadata      timestamp (ISO 8601 of the last message by the platform's clock, else the store's), type and
 *               messageId of the last message, originalWebhook (the last message's metadata from its webhook),
 *               isRapidFireBatch true, batchSize, batchTimeSpan (ms first to last), originalMessages (every
 *               message as Rapidfire stored it); with one answer per thought also commitUrl (ask it before
 *               answering) and supersedes (the batches whose messages this one carries again)
 * </pre>
 * Options: {@code jobId} = batchId, {@code attempts}, {@code backoff: {type: exponential, delay}}; with tracing on,
 * the delivery span's context where BullMQ's own telemetry keeps it ({@code tm}: the JSON of
 * {@code {traceparent, tracestate}}, what {@code Queue.add} stores as {@code opts.telemetry.metadata}), so a stock
 * {@code Worker} with {@code bullmq-otel} continues the trace.
 */
public final class BullmqJob {
    private BullmqJob() {
    }

    /** The job's data (JSON) for a batch. */
    public static String data(Batch b) {
        return data(b, null);
    }

    /** @param commitUrl the batch's commit URL (one answer per thought), or null */
    public static String data(Batch b, String commitUrl) {
        ObjectNode full = BatchJson.tree(b);
        ArrayNode messages = (ArrayNode) full.get("messages");
        Message last = b.messages().get(b.messages().size() - 1);
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("from", b.conversation().conversation());
        o.put("message", b.text().trim());
        o.put("companyId", b.conversation().tenant());
        o.put("platform", b.conversation().channel());
        o.put("timestamp", Instant.ofEpochMilli(b.lastMessageAtMs()).toString());
        ObjectNode meta = o.putObject("metadata");
        meta.put("timestamp", Instant.ofEpochMilli(last.platformTimestampMs() != null ? last.platformTimestampMs()
                : b.lastMessageAtMs()).toString());
        meta.put("type", last.type().wire());
        meta.set("originalWebhook", MessageCodec.JSON.valueToTree(last.metadata()));
        meta.put("messageId", last.id());
        meta.put("isRapidFireBatch", true);
        meta.put("batchSize", b.size());
        meta.put("batchTimeSpan", b.lastMessageAtMs() - b.firstMessageAtMs());
        meta.set("originalMessages", messages.deepCopy());
        if (commitUrl != null) {
            meta.put("commitUrl", commitUrl);
        }
        if (!b.supersedes().isEmpty()) {
            meta.set("supersedes", MessageCodec.JSON.valueToTree(b.supersedes()));
        }
        o.put("batchId", b.batchId());
        o.put("reason", b.reason().wire());
        o.set("messages", messages);
        return o.toString();
    }

    static String options(Batch b, BullmqSettings s) {
        ObjectNode o = MessageCodec.JSON.createObjectNode();
        o.put("jobId", b.batchId());
        o.put("attempts", s.attempts());
        o.putObject("backoff").put("type", "exponential").put("delay", s.backoffMs());
        java.util.Map<String, String> trace = io.rapidfire.trace.Tracing.currentContext();
        if (!trace.isEmpty()) {
            o.put("tm", MessageCodec.JSON.valueToTree(trace).toString());
        }
        return o.toString();
    }
}
