package io.rapidfire.delivery.stream;

import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.Sink;

import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Appends each batch to a Redis Stream ({@code XADD key MAXLEN ~ n * ...}), for bots that consume with
 * consumer groups. Fields: type ({@code batch}), batchId, tenant, conversation, reason, attempt, batch (the full
 * JSON, with its commitUrl), and supersedes when it carries earlier batches' messages again. A redelivery appends
 * again with the same batchId: consumers de-duplicate on it.
 *
 * <p>One answer per thought: under a policy that supersedes, a batch in the stream stays supersedable until its
 * consumer commits (the commit route) or the commit timeout passes; when a new message supersedes it, a record
 * {@code type=superseded, batchId} follows: a consumer still working on that batch drops its answer (its commit
 * would be refused anyway).
 */
public final class StreamSink implements Sink {
    private final RedisClusterAsyncCommands<String, String> redis;
    private final String key;
    private final long maxLen;
    private final java.util.function.Function<Batch, String> commitUrls;

    /** @param redis the store's connection (on a Cluster, XADD goes to the master owning {@code key}) */
    public StreamSink(RedisClusterAsyncCommands<String, String> redis, String key, long maxLen) {
        this(redis, key, maxLen, null);
    }

    /** @param commitUrls each batch's commit URL (CommitLinks); null: none */
    public StreamSink(RedisClusterAsyncCommands<String, String> redis, String key, long maxLen,
                      java.util.function.Function<Batch, String> commitUrls) {
        this.commitUrls = commitUrls;
        this.redis = redis;
        this.key = key;
        this.maxLen = maxLen;
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws Exception {
        return Sink.await(deliverAsync(batch, Runnable::run));
    }

    /** Holds no thread while Redis answers (Lettuce's async API on the store's connection). */
    @Override
    public CompletableFuture<DeliveryOutcome> deliverAsync(Batch batch, Executor blocking) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "batch");
        fields.put("batchId", batch.batchId());
        fields.put("tenant", batch.conversation().tenant());
        fields.put("conversation", batch.conversation().conversation());
        fields.put("reason", batch.reason().wire());
        fields.put("attempt", Integer.toString(batch.attempt()));
        fields.put("batch", BatchJson.of(batch, commitUrls == null ? null : commitUrls.apply(batch)));
        if (!batch.supersedes().isEmpty()) {
            fields.put("supersedes", String.join(",", batch.supersedes()));
        }
        fields.putAll(io.rapidfire.trace.Tracing.currentContext()); // traceparent (tracestate) of the delivery span
        return redis.xadd(key, XAddArgs.Builder.maxlen(maxLen).approximateTrimming(), fields).toCompletableFuture()
                .thenApply(id -> DeliveryOutcome.ack("XADD " + key + " " + id));
    }

    @Override
    public CommitStyle commitStyle() {
        return CommitStyle.CONSUMER;
    }

    /** Tells the consumers: a record type=superseded with the batchId. */
    @Override
    public CompletableFuture<Void> superseded(Batch batch) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "superseded");
        fields.put("batchId", batch.batchId());
        fields.put("tenant", batch.conversation().tenant());
        fields.put("conversation", batch.conversation().conversation());
        return redis.xadd(key, XAddArgs.Builder.maxlen(maxLen).approximateTrimming(), fields).toCompletableFuture()
                .thenApply(id -> null);
    }

    @Override
    public String kind() {
        return "stream";
    }

    @Override
    public String describe() {
        return "stream XADD " + key + " MAXLEN ~ " + maxLen;
    }

}
