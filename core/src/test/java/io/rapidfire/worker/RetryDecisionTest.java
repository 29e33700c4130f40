package io.rapidfire.worker;

import io.rapidfire.core.Batch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Edits;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.worker.RetryDecision.Action;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry lifecycle and the backoff, with a fixed "random" and no clock: every number is exact. */
@Tag("fast")
class RetryDecisionTest {
    private static final Backoff LOWEST = new Backoff(1_000, 300_000, bound -> 0);
    private static final Backoff HIGHEST = new Backoff(1_000, 300_000, bound -> bound - 1);

    @Test
    void theBackoffDoublesPerAttemptWithJitterInTheUpperHalfAndStopsAtTheCap() {
        assertThat(LOWEST.delayMs(1, 0)).isEqualTo(500);
        assertThat(HIGHEST.delayMs(1, 0)).isEqualTo(1_000);
        assertThat(LOWEST.delayMs(2, 0)).isEqualTo(1_000);
        assertThat(HIGHEST.delayMs(4, 0)).isEqualTo(8_000);
        assertThat(HIGHEST.delayMs(20, 0)).as("capped").isEqualTo(300_000);
        assertThat(HIGHEST.delayMs(60, 0)).as("no overflow past 2^30").isEqualTo(300_000);
    }

    @Test
    void aDownstreamsRetryAfterIsALowerBoundButNeverPastTheCap() {
        assertThat(LOWEST.delayMs(1, 7_000)).isEqualTo(7_000);
        assertThat(LOWEST.delayMs(1, 100)).isEqualTo(500);
        assertThat(LOWEST.delayMs(1, 10_000_000)).isEqualTo(300_000);
    }

    @Test
    void anAckIsAcknowledgedAndARefusalIsDeadLetteredAtOnce() {
        assertThat(RetryDecision.after(DeliveryOutcome.ack("200"), 1, 8, false, LOWEST).action()).isEqualTo(Action.ACK);
        RetryDecision refused = RetryDecision.after(DeliveryOutcome.reject("HTTP 400"), 1, 8, false, LOWEST);
        assertThat(refused.action()).isEqualTo(Action.DEAD_LETTER);
        assertThat(refused.reason()).isEqualTo("refused: HTTP 400");
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheBackoffUntilTheLastAttemptThenDeadLettered() {
        RetryDecision second = RetryDecision.after(DeliveryOutcome.retry("HTTP 503"), 2, 3, false, LOWEST);
        assertThat(second.action()).isEqualTo(Action.RETRY);
        assertThat(second.delayMs()).isEqualTo(1_000);
        RetryDecision last = RetryDecision.after(DeliveryOutcome.retry("HTTP 503"), 3, 3, false, LOWEST);
        assertThat(last.action()).isEqualTo(Action.DEAD_LETTER);
        assertThat(last.reason()).isEqualTo("failed 3 attempts; last: HTTP 503");
    }

    @Test
    void aFailureWhileTheWorkerStopsReleasesTheBatchForAnotherWorkerWithoutWaiting() {
        RetryDecision d = RetryDecision.after(DeliveryOutcome.retry("interrupted"), 3, 3, true, LOWEST);
        assertThat(d.action()).isEqualTo(Action.RELEASE);
        assertThat(d.delayMs()).isZero();
    }

    @Test
    void aBatchWhoseAttemptsRanOutThroughExpiredLeasesIsNotDeliveredAgain() {
        assertThat(RetryDecision.beforeDelivery(batch(8, "hello"), 8)).isNull();
        RetryDecision d = RetryDecision.beforeDelivery(batch(9, "hello"), 8);
        assertThat(d.action()).isEqualTo(Action.DEAD_LETTER);
        assertThat(d.reason()).contains("gave up after 8 attempts");
    }

    @Test
    void aBatchWhoseEveryMessageThePersonDeletedIsAcknowledgedWithoutADelivery() {
        RetryDecision d = RetryDecision.beforeDelivery(batch(1, "m1", "deletion:m1"), 8);
        assertThat(d.action()).isEqualTo(Action.ACK);
        assertThat(d.reason()).contains("deleted every message");
        assertThat(RetryDecision.beforeDelivery(batch(1, "m1", "m2", "deletion:m1"), 8)).isNull();
    }

    /** A batch of the given messages: "deletion:X" deletes X, any other string is a message with that id. */
    private static Batch batch(int attempt, String... items) {
        var ref = new ConversationRef("t", "whatsapp", "79001234567");
        List<StoredMessage> arrived = new ArrayList<>();
        for (String item : items) {
            Message m = item.startsWith("deletion:")
                    ? new Message("del-" + item, ref, MessageType.DELETION, "", null, 0,
                    List.of(), Edits.naming(item.substring(9), Map.of()))
                    : Message.text(ref, item, "text of " + item, null);
            arrived.add(new StoredMessage(m, arrived.size()));
        }
        return Batch.of("b1", ref, 1, arrived, ReleaseReason.QUIET, attempt, " ");
    }
}
