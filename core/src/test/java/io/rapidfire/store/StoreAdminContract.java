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
import io.rapidfire.core.StoreAdmin.Found;
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

/** Operator actions and inspection ({@link io.rapidfire.core.StoreAdmin}): flush, clear, pending, in flight, counts. */
public abstract class StoreAdminContract extends StoreContractSupport {
    @Test
    void aSearchFindsOpenAndInFlightConversationsByPartOfTheirKeyAndABatchByItsId() {
        ConversationRef ana = new ConversationRef("acme", "whatsapp", "+79001234567");
        ConversationRef bob = new ConversationRef("acme", "whatsapp", "+79009990000");
        ConversationRef tg = new ConversationRef("beta", "telegram", "5551234");
        Policy slow = FAST.withQuietMs(60_000);
        store.append(msg(bob, "b1", "hi"), FAST.withQuietMs(0));
        await().atMost(Duration.ofSeconds(5)).until(() -> !claimAll(LONG_LEASE).isEmpty());
        store.append(msg(ana, "a1", "hi"), slow);
        store.append(msg(tg, "t1", "hi"), slow);
        assertThat(store.find("1234567", 10)).containsExactly(new Found(ana, false, null));
        assertThat(store.find("1234", 10)).extracting(Found::conversation).containsExactlyInAnyOrder(ana, tg);
        assertThat(store.find("telegram", 10)).extracting(Found::conversation).containsExactly(tg);
        List<Found> inFlight = store.find("9990000", 10);
        assertThat(inFlight).hasSize(1);
        assertThat(inFlight.get(0).inFlight()).isTrue();
        assertThat(store.find(inFlight.get(0).batchId(), 10)).as("by batch id").containsExactly(inFlight.get(0));
        assertThat(store.find("acme", 1)).as("at most the limit").hasSize(1);
        assertThat(store.find("*", 10)).as("a pattern character is literal").isEmpty();
        assertThat(store.find("nobody", 10)).isEmpty();
        assertThat(store.find("a1", 10)).as("by message id").containsExactly(new Found(ana, false, null));
        assertThat(store.find("b1", 10)).as("by message id, in flight").containsExactly(inFlight.get(0));
    }

    @Test
    void flushReleasesTheOpenBatchNowWithReasonFlush() {
        ConversationRef c = conv("operator");
        store.append(msg(c, "m1", "hello"), FAST.withQuietMs(60_000));
        assertThat(store.flush(c)).isTrue();
        List<ClaimedBatch> got = claimAll(LONG_LEASE);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).batch().reason()).isEqualTo(ReleaseReason.FLUSH);
        assertThat(store.flush(conv("nobody"))).as("nothing open to flush").isFalse();
    }

    @Test
    void clearDropsTheOpenAndTheInFlightMessages() {
        ConversationRef c = conv("cleared");
        Policy now = FAST.withQuietMs(0);
        store.append(msg(c, "m1", "one"), now);
        ClaimedBatch b = claimAll(LONG_LEASE).get(0);
        store.append(msg(c, "m2", "two"), now);
        store.append(msg(c, "m3", "three"), now);

        assertThat(store.clear(c)).isEqualTo(3);
        assertThat(store.ack(b.lease())).isEqualTo(LeaseOutcome.GONE);
        assertThat(store.counts().pending()).isZero();
        assertThat(store.counts().inflight()).isZero();
        assertThat(claimAll(LONG_LEASE)).isEmpty();

        store.append(msg(c, "m4", "four"), now);
        ClaimedBatch after = claimAll(LONG_LEASE).get(0);
        assertThat(after.batch().batchId()).as("batch ids are never reused").isNotEqualTo(b.batch().batchId());
    }

    @Test
    void inspectionShowsPendingDeadlinesAndInFlightBatches() {
        ConversationRef a = conv("a");
        ConversationRef b = conv("b");
        Policy slow = FAST.withQuietMs(60_000).withMaxWaitMs(120_000);
        store.append(msg(a, "m1", "hello"), slow);
        AppendResult r = store.append(msg(a, "m2", "there"), slow);
        store.append(msg(b, "m1", "x"), FAST.withQuietMs(0));

        List<PendingBatch> pending = store.pending(10);
        assertThat(pending).hasSize(2);
        PendingBatch pa = pending.stream().filter(p -> p.conversation().equals(a)).findFirst().orElseThrow();
        assertThat(pa.messages()).isEqualTo(2);
        assertThat(pa.bytes()).isEqualTo(10);
        assertThat(pa.dueAtMs()).isEqualTo(r.dueAtMs()).isEqualTo(pa.lastMessageAtMs() + 60_000);
        assertThat(pa.releaseRule()).isEqualTo(ReleaseReason.QUIET);
        assertThat(pa.partition()).isEqualTo(store.partitionOf(a));
        assertThat(store.counts().pending()).isEqualTo(2);

        ClaimedBatch claimed = claimAll(LONG_LEASE).get(0);
        List<InflightBatch> inflight = store.inflight(10);
        assertThat(inflight).singleElement().satisfies(f -> {
            assertThat(f.conversation()).isEqualTo(b);
            assertThat(f.batchId()).isEqualTo(claimed.batch().batchId());
            assertThat(f.attempt()).isEqualTo(1);
            assertThat(f.state()).isEqualTo(io.rapidfire.core.FlightState.LEASED);
            assertThat(f.worker()).isEqualTo("test-worker");
        });
        assertThat(store.counts().pending()).isEqualTo(1);
        assertThat(store.counts().inflight()).isEqualTo(1);
    }

}
