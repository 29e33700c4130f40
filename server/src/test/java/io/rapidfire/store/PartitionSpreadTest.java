package io.rapidfire.store;

import org.junit.jupiter.api.Tag;

import io.lettuce.core.cluster.SlotHash;
import io.rapidfire.store.redis.RedisKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Partitions sit at evenly spaced hash slots, so masters with equal slot ranges hold equal shares of them. */
@Tag("fast")
class PartitionSpreadTest {
    @Test
    void everyMasterOfAnEvenlySplitClusterHoldsItsShareOfThePartitions() {
        for (int partitions : new int[]{3, 16, 24, 64, 1_000}) {
            RedisKeys keys = new RedisKeys("rf", partitions);
            for (int masters : new int[]{3, 6}) {
                int[] held = new int[masters];
                for (int p = 0; p < partitions; p++) {
                    int slot = SlotHash.getSlot(keys.due(p));
                    assertThat(SlotHash.getSlot(keys.conversation(p, "t:c:x"))).as("one slot per partition").isEqualTo(slot);
                    held[Math.min(masters - 1, slot / (SlotHash.SLOT_COUNT / masters))]++;
                }
                for (int h : held) {
                    assertThat(h).as(partitions + " partitions over " + masters + " masters: " + java.util.Arrays.toString(held))
                            .isBetween(partitions / masters - 1, (partitions + masters - 1) / masters + 1);
                }
            }
        }
        assertThat(new RedisKeys("rf", 16).due(7)).as("a plain tag where it already lands right").startsWith("rf:{p7");
    }

    @Test
    void theLargestPartitionCountIsBoundedAndCheapToSetUp() {
        long t0 = System.nanoTime();
        RedisKeys keys = new RedisKeys("rf", (int) io.rapidfire.core.Tunables.PARTITIONS.max());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println((int) io.rapidfire.core.Tunables.PARTITIONS.max() + " partition tags found in " + ms + " ms");
        assertThat(keys.partitions()).isEqualTo((int) io.rapidfire.core.Tunables.PARTITIONS.max());
        assertThatThrownBy(() -> new RedisKeys("rf", (int) io.rapidfire.core.Tunables.PARTITIONS.max() + 1)).hasMessageContaining("from 1 to 4096 (setting RAPIDFIRE_PARTITIONS");
    }
}
