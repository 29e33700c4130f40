package io.rapidfire.store;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.ClaimedBatch;
import java.time.Duration;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.store.memory.MemoryBatchStore;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store must not grow forever in a long-running standalone process. */
@Tag("fast")
class MemoryStoreGarbageCollectionTest {
    @Test
    void anIdleConversationIsForgottenOnceTheDeduplicationWindowHasPassed() {
        AtomicLong clock = new AtomicLong(1_000_000);
        MemoryBatchStore store = MemoryBatchStore.builder().partitions(1).dedupWindow(Duration.ofMinutes(1)).clock(clock::get).build();
        ConversationRef a = new ConversationRef("acme", "whatsapp", "a");
        Policy now = new Policy(0, 1_000, 10, 1_000, " ");
        store.append(Message.text(a, "m1", "x", null), now);
        ClaimedBatch b = store.claim(0, 10, 30_000, "w").batches().get(0);
        store.ack(b.lease());
        assertThat(store.conversationsHeld()).isEqualTo(1);
        assertThat(store.append(Message.text(a, "m1", "x", null), now).duplicate()).as("within the window").isTrue();

        clock.addAndGet(60_001);
        store.append(Message.text(new ConversationRef("acme", "whatsapp", "b"), "m1", "y", null), now);
        assertThat(store.conversationsHeld()).as("a was dropped, b is pending").isEqualTo(1);
        assertThat(store.append(Message.text(a, "m1", "x", null), now).duplicate()).as("after the window").isFalse();
    }
}
