package io.rapidfire.delivery;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends each batch to a Redis Stream ({@code XADD key MAXLEN ~ n * ...}), for bots that consume with
 * consumer groups. Fields: batchId, tenant, conversation, reason, attempt, batch (the full JSON). A redelivery
 * appends again with the same batchId: consumers de-duplicate on it.
 */
public final class StreamSink implements Sink {
    private final StatefulRedisConnection<String, String> connection;
    private final String key;
    private final long maxLen;

    public StreamSink(RedisClient client, String key, long maxLen) {
        this.connection = client.connect();
        this.key = key;
        this.maxLen = maxLen;
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("batchId", batch.batchId());
        fields.put("tenant", batch.conversation().tenant());
        fields.put("conversation", batch.conversation().conversation());
        fields.put("reason", batch.reason().wire());
        fields.put("attempt", Integer.toString(batch.attempt()));
        fields.put("batch", BatchJson.of(batch));
        String id = connection.sync().xadd(key, XAddArgs.Builder.maxlen(maxLen).approximateTrimming(), fields);
        return DeliveryOutcome.ack("XADD " + key + " " + id);
    }

    @Override
    public String describe() {
        return "stream XADD " + key + " MAXLEN ~ " + maxLen;
    }

    @Override
    public void close() {
        connection.close();
    }
}
