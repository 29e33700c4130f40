package io.rapidfire.core;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * p = crc32(tenant:channel:conversation) mod P. Fixed for a deployment: changing P moves conversations
 * to other partitions, so do it only with an empty store.
 */
public final class Partitioner {
    private Partitioner() {
    }

    public static int partitionOf(ConversationRef c, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(c.key().getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }
}
