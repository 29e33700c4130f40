package io.rapidfire.ingest;

import io.rapidfire.core.BatchStore;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.testing.FaultyStore;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.rapidfire.testing.IngestHarness.payload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store failure half-way through a request (the rule all-or-nothing validation leaves in place): the first
 * message is stored, the second is not, the answer is 503 with Retry-After, and the platform's retry of the same
 * request stores the second message and recognises the first as a duplicate: each once, in order. The store is a
 * real in-memory store behind a fault injector that fails the second append once.
 */
@Tag("fast")
class StoreFailureMidRequestTest {
    @Test
    void aStoreFailureAfterTheFirstMessageAnswers503AndTheRetryStoresEachMessageOnce() {
        BatchStore real = MemoryBatchStore.builder().partitions(4).build();
        FaultyStore flaky = new FaultyStore(real, 2);
        try (IngestHarness h = new IngestHarness(flaky.store, IngestSettings.defaults(),
                new Policy(60_000, 120_000, 10, 16_384, " "), false)) {
            String request = payload("original-bulk.json");
            HttpResponse<String> first = h.post("/webhook/whatsapp/batched", request);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
            assertThat(first.headers().firstValue("Retry-After")).isPresent();
            assertThat(first.body()).contains("NOT stored", "Retry the same request");
            assertThat(real.pending(10)).singleElement().satisfies(p -> assertThat(p.messages()).isEqualTo(1));

            flaky.heal();
            HttpResponse<String> retry = h.post("/webhook/whatsapp/batched", request);
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(retry.body()).contains("\"accepted\":1", "\"duplicates\":1");
            PendingBatch p = real.pending(10).get(0);
            assertThat(p.messages()).as("each message once").isEqualTo(2);
            assertThat(real.flush(p.conversation())).isTrue();
            var claimed = real.claim(real.partitionOf(p.conversation()), 1, 30_000, "t").batches();
            assertThat(claimed).singleElement().satisfies(b -> assertThat(b.batch().text()).isEqualTo("tomorrow at 8"));
        }
    }
}
