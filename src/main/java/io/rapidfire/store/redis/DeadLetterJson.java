package io.rapidfire.store.redis;

import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;

/** A dead letter: the batch as the downstream would have received it, plus why it was given up. */
final class DeadLetterJson {
    private DeadLetterJson() {
    }

    static String of(Batch batch, String reason) {
        var node = BatchJson.tree(batch);
        node.put("deadLetterReason", reason);
        node.put("deadLetteredAt", System.currentTimeMillis());
        return node.toString();
    }
}
