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

/** Dead letters ({@link io.rapidfire.core.DeadLetterStore}): kept with their reason, listed, shown, replayed, purged. */
public abstract class DeadLetterContract extends StoreContractSupport {
    @Test
    void deadLetteringRemovesTheBatchCountsItAndLetsTheNextBatchThrough() {
        ConversationRef c = conv("poison");
        Policy now = FAST.withQuietMs(0);
        store.append(msg(c, "m1", "bad"), now);
        ClaimedBatch b = claimAll(LONG_LEASE).get(0);
        store.append(msg(c, "m2", "good"), now);
        assertThat(claimAll(LONG_LEASE)).as("the next batch waits for the first").isEmpty();

        assertThat(store.deadLetter(b.lease(), b.batch(), "HTTP 400 from downstream")).isEqualTo(LeaseOutcome.OK);
        assertThat(store.counts().deadLetters()).isEqualTo(1);
        assertThat(store.ack(b.lease())).isEqualTo(LeaseOutcome.GONE);
        ClaimedBatch next = awaitBatch(LONG_LEASE);
        assertThat(texts(next)).containsExactly("good");
    }

    @Test
    void aDeadLetterCanBeListedShownReplayedAheadOfNewerMessagesAndPurged() {
        ConversationRef c = conv("dlq");
        Policy now = FAST.withQuietMs(0);
        store.append(msg(c, "m1", "one"), now);
        store.append(msg(c, "m2", "two"), now);
        ClaimedBatch b = claimAll(LONG_LEASE).get(0);
        store.deadLetter(b.lease(), b.batch(), "HTTP 400 from the bot");
        assertThat(store.deadLetters(10)).singleElement().satisfies(d -> {
            assertThat(d.batchId()).isEqualTo(b.batch().batchId());
            assertThat(d.conversation()).isEqualTo(c);
            assertThat(d.reason()).isEqualTo("HTTP 400 from the bot");
            assertThat(d.size()).isEqualTo(2);
        });
        assertThat(store.deadLetter(b.batch().batchId())).isNotNull();
        assertThat(store.deadLetter("nope")).isNull();

        store.append(msg(c, "m3", "three"), FAST.withQuietMs(60_000));
        assertThat(store.replayDeadLetter(b.batch().batchId())).isEqualTo(2);
        assertThat(store.replayDeadLetter(b.batch().batchId())).as("gone once replayed").isEqualTo(-1);
        List<ClaimedBatch> again = claimAll(LONG_LEASE);
        assertThat(again).as("released at once").hasSize(1);
        assertThat(again.get(0).batch().reason()).isEqualTo(ReleaseReason.REPLAY);
        assertThat(texts(again.get(0))).containsExactly("one", "two", "three");
        assertThat(store.counts().deadLetters()).isZero();

        store.deadLetter(again.get(0).lease(), again.get(0).batch(), "still broken");
        assertThat(store.purgeDeadLetter(again.get(0).batch().batchId())).isTrue();
        assertThat(store.purgeDeadLetter(again.get(0).batch().batchId())).isFalse();
        assertThat(store.counts().deadLetters()).isZero();
    }

}
