package io.rapidfire.store;

import io.rapidfire.core.AppendResult;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.InvalidMessageException;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Message;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import io.rapidfire.testing.ReleaseRuleCase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import static io.rapidfire.testing.InputPace.typingPause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the four store contract suites share: the store under test, opened fresh for each test, and helpers.
 * Each backend runs every suite as a thin subclass (JobRunr's StorageProviderTest habit), naming its
 * {@link StoreBackend}. Timing uses the store's real clock with short periods, except where a suite sets a
 * manual clock.
 */
public abstract class StoreContractSupport {
    protected static final long LONG_LEASE = 60_000;
    protected static final Policy FAST = new Policy(200, 5_000, 5, 100, " ");

    protected BatchStore store;

    /** The backend under test. */
    protected abstract StoreBackend backend();

    /** A backend: new, empty stores with 4 or more partitions and a one-minute de-duplication window. */
    public interface StoreBackend {
        BatchStore open();

        /** A store like {@link #open()} whose clock the test sets (ms) instead of the real one. */
        ClockedStore openOnManualClock();
    }

    public record ClockedStore(BatchStore store, LongConsumer setTime) {
    }

    protected BatchStore newStore() {
        return backend().open();
    }

    protected ClockedStore newStoreOnManualClock() {
        return backend().openOnManualClock();
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static ConversationRef conv(String name) {
        return new ConversationRef("acme", "whatsapp", name);
    }

    protected static Message msg(ConversationRef c, String id, String text) {
        return Message.text(c, id, text, null);
    }

    /** One claim over every partition. */
    protected List<ClaimedBatch> claimAll(long leaseMs) {
        List<ClaimedBatch> out = new ArrayList<>();
        for (int p = 0; p < store.partitions(); p++) {
            out.addAll(store.claim(p, 100, leaseMs, "test-worker").batches());
        }
        return out;
    }

    protected ClaimedBatch awaitBatch(long leaseMs) {
        List<ClaimedBatch> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            got.addAll(claimAll(leaseMs));
            return !got.isEmpty();
        });
        assertThat(got).as("exactly one batch released").hasSize(1);
        return got.get(0);
    }

    protected static List<String> texts(ClaimedBatch b) {
        return b.batch().messages().stream().map(Message::text).collect(Collectors.toList());
    }

    /** A time far from the real clock, so a test on the manual clock cannot pass by the real one. */
    protected static final long T0 = 1_800_000_000_000L;

    /** Runs {@code test} on a fresh store whose clock it sets ({@code clock.accept(ms)}), and closes the store. */
    protected void onManualClock(java.util.function.BiConsumer<BatchStore, LongConsumer> test) {
        ClockedStore clocked = newStoreOnManualClock();
        try {
            test.accept(clocked.store(), clocked.setTime());
        } finally {
            clocked.store().close();
        }
    }

    protected static List<ClaimedBatch> claimAllOf(BatchStore s, long leaseMs) {
        List<ClaimedBatch> out = new ArrayList<>();
        for (int p = 0; p < s.partitions(); p++) {
            out.addAll(s.claim(p, 100, leaseMs, "test-worker").batches());
        }
        return out;
    }

    protected static List<ClaimedBatch> claimAllOf(BatchStore s) {
        List<ClaimedBatch> out = new ArrayList<>();
        for (int p = 0; p < s.partitions(); p++) {
            out.addAll(s.claim(p, 100, LONG_LEASE, "test-worker").batches());
        }
        return out;
    }

}
