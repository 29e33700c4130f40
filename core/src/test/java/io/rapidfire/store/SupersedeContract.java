package io.rapidfire.store;

import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Policy;
import io.rapidfire.core.StoreAdmin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import static io.rapidfire.testing.InputPace.typingPause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One answer per thought (docs/release-rules.md): a message that arrives while the conversation's batch is with the
 * bot supersedes it under {@code supersede}, and a bot's commit says atomically whether it may still answer. Every
 * store runs it (memory, Redis, Cluster, Sentinel).
 */
public abstract class SupersedeContract extends StoreContractSupport {
    /** Quiet 200 ms, max wait 5 s, 5 messages, 100 bytes; supersede on; no presence unless a test sends it. */
    static final Policy SUPERSEDE = FAST.withTyping(false, 1_000, 10_000).withSupersede(true);
    static final Policy QUEUE = SUPERSEDE.withSupersede(false);

    /** One message in a conversation under supersede and one under queue, both claimed at T0 + 200. */
    private static List<ClaimedBatch> oneBatchUnderEachRule(BatchStore s, LongConsumer clock, String supersede,
                                                            String queue) {
        clock.accept(T0);
        s.append(msg(conv(supersede), "m1", "one"), SUPERSEDE);
        s.append(msg(conv(queue), "m1", "one"), QUEUE);
        clock.accept(T0 + 200);
        List<ClaimedBatch> out = claimAllOf(s);
        assertThat(out).hasSize(2);
        return out;
    }

    /**
     * Listens on the store's wake-up channel for "superseded" and "withdraw" notices, as "partition:batchId", once the
     * subscription has settled.
     */
    private AutoCloseable notices(ConcurrentLinkedQueue<String> superseded, ConcurrentLinkedQueue<String> withdraw) {
        AutoCloseable sub = store.onWake(new io.rapidfire.core.BatchQueue.WakeListener() {
            @Override
            public void wake(int partition, long dueAtMs) {
            }

            @Override
            public void superseded(int partition, String batchId) {
                superseded.add(partition + ":" + batchId);
            }

            @Override
            public void withdraw(int partition, String batchId) {
                withdraw.add(partition + ":" + batchId);
            }
        });
        typingPause(50); // let a pub/sub subscription settle
        return sub;
    }

    /** Claims the one batch due at {@code at}. */
    /** "one" appended at T0 and claimed at T0 + 200: the batch the bot is answering. */
    private static ClaimedBatch withTheBot(BatchStore s, LongConsumer clock, ConversationRef c, Policy policy) {
        clock.accept(T0);
        s.append(msg(c, "m1", "one"), policy);
        return claimOne(s, clock, T0 + 200);
    }

    private static ClaimedBatch claimOne(BatchStore s, LongConsumer clock, long at) {
        clock.accept(at);
        List<ClaimedBatch> got = claimAllOf(s);
        assertThat(got).as("one batch released at " + (at - T0) + " ms").hasSize(1);
        return got.get(0);
    }

    @Test
    void underSupersedeAMessageDuringDeliveryGivesOneMergedBatchInOrderCarryingSupersedes() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("merged");
            clock.accept(T0);
            s.append(msg(c, "m1", "I want"), SUPERSEDE);
            ClaimedBatch first = claimOne(s, clock, T0 + 200);
            clock.accept(T0 + 1_000);
            s.append(msg(c, "m2", "a haircut"), SUPERSEDE);

            assertThat(s.ack(first.lease())).as("the bot's late 2xx").isEqualTo(LeaseOutcome.SUPERSEDED);
            assertThat(claimAllOf(s)).as("the merged batch waits for its quiet period").isEmpty();
            ClaimedBatch merged = claimOne(s, clock, T0 + 1_200);
            assertThat(texts(merged)).containsExactly("I want", "a haircut");
            assertThat(merged.batch().supersedes()).containsExactly(first.batch().batchId());
            assertThat(merged.batch().earlier()).as("positions of the messages the bot had seen").containsExactly(0);
            assertThat(merged.batch().firstMessageAtMs()).as("max wait counts from the first message").isEqualTo(T0);
            assertThat(merged.batch().batchId()).isNotEqualTo(first.batch().batchId());
            assertThat(s.ack(merged.lease())).isEqualTo(LeaseOutcome.OK);
            clock.accept(T0 + 60_000);
            assertThat(claimAllOf(s)).as("the superseded batch is never delivered again").isEmpty();
        });
    }

    @Test
    void underQueueANewMessageDuringDeliveryOpensTheNextBatchAsBefore() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("queued");
            ClaimedBatch first = withTheBot(s, clock, c, QUEUE);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), QUEUE);
            assertThat(s.ack(first.lease())).isEqualTo(LeaseOutcome.OK);
            ClaimedBatch next = claimOne(s, clock, T0 + 500);
            assertThat(texts(next)).containsExactly("two");
            assertThat(next.batch().supersedes()).isEmpty();
            assertThat(next.batch().earlier()).isEmpty();
        });
    }

    @Test
    void aCommittedBatchIsNotSupersededAndACommitAskedTwiceIsCommittedTwice() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("committed");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            int p = first.lease().partition();
            assertThat(s.commit(p, first.batch().batchId()).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
            assertThat(s.commit(p, first.batch().batchId()).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), SUPERSEDE);
            assertThat(s.ack(first.lease())).isEqualTo(LeaseOutcome.OK);
            ClaimedBatch next = claimOne(s, clock, T0 + 500);
            assertThat(texts(next)).containsExactly("two");
            assertThat(next.batch().supersedes()).isEmpty();
        });
    }

    @Test
    void aCommitAfterTheSupersedeIsRefusedNamingTheBatchThatCarriesItsMessages() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("refused");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            int p = first.lease().partition();
            String id = first.batch().batchId();
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), SUPERSEDE);
            CommitResult before = s.commit(p, id);
            assertThat(before.outcome()).isEqualTo(CommitResult.Outcome.SUPERSEDED);
            assertThat(before.supersededBy()).as("not released yet").isNull();
            ClaimedBatch merged = claimOne(s, clock, T0 + 500);
            CommitResult after = s.commit(p, id);
            assertThat(after.outcome()).isEqualTo(CommitResult.Outcome.SUPERSEDED);
            assertThat(after.supersededBy()).isEqualTo(merged.batch().batchId());
            assertThat(s.renew(first.lease(), LONG_LEASE)).isEqualTo(LeaseOutcome.SUPERSEDED);
            assertThat(s.retry(first.lease(), 0, "x")).isEqualTo(LeaseOutcome.SUPERSEDED);
            assertThat(s.commit(p, merged.batch().batchId()).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
            s.ack(merged.lease());
            assertThat(s.commit(p, merged.batch().batchId()).outcome()).as("finished, and a late commit is still answered")
                    .isEqualTo(CommitResult.Outcome.COMMITTED);
            CommitResult late = s.commit(p, id);
            assertThat(late.outcome()).as("the superseded one, after the batch that superseded it was finished")
                    .isEqualTo(CommitResult.Outcome.SUPERSEDED);
            assertThat(late.supersededBy()).isEqualTo(merged.batch().batchId());
        });
    }

    @Test
    void aCommitAfterTheBatchWasAcknowledgedUnderQueueOrDeadLetteredIsUnknown() {
        onManualClock((s, clock) -> {
            for (ClaimedBatch b : oneBatchUnderEachRule(s, clock, "dead", "queued-ack")) {
                if (b.batch().conversation().conversation().equals("dead")) {
                    s.deadLetter(b.lease(), b.batch(), "refused");
                } else {
                    s.ack(b.lease());
                }
                assertThat(s.commit(b.lease().partition(), b.batch().batchId()).outcome())
                        .as(b.batch().conversation().conversation()).isEqualTo(CommitResult.Outcome.UNKNOWN);
            }
        });
    }

    @Test
    void aCommitForAnUnknownBatchOrTheWrongPartitionChangesNothing() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("unknown");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            int p = first.lease().partition();
            assertThat(s.commit(p, "0123456789abcdef0123-1").outcome()).isEqualTo(CommitResult.Outcome.UNKNOWN);
            assertThat(s.commit((p + 1) % s.partitions(), first.batch().batchId()).outcome())
                    .isEqualTo(CommitResult.Outcome.UNKNOWN);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), SUPERSEDE);
            assertThat(s.ack(first.lease())).as("still supersedable: the commits above changed nothing")
                    .isEqualTo(LeaseOutcome.SUPERSEDED);
        });
    }

    @Test
    void aBotThatCommitsThenCrashesGetsTheSameBatchAgainAndItsCommitStillHolds() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("crash");
            clock.accept(T0);
            s.append(msg(c, "m1", "one"), SUPERSEDE);
            clock.accept(T0 + 200);
            ClaimedBatch first = claimAllOf(s, 1_000).get(0);
            int p = first.lease().partition();
            s.commit(p, first.batch().batchId());
            clock.accept(T0 + 1_300);
            ClaimedBatch again = claimAllOf(s, 1_000).get(0);
            assertThat(again.batch().batchId()).isEqualTo(first.batch().batchId());
            assertThat(again.batch().attempt()).isEqualTo(2);
            assertThat(s.commit(p, again.batch().batchId()).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
        });
    }

    @Test
    void aMessageQueuesInsteadWhenTheMergedBatchWouldBreakALimit() {
        onManualClock((s, clock) -> {
            ConversationRef full = conv("full");
            ConversationRef old = conv("old");
            clock.accept(T0);
            for (int i = 1; i <= 5; i++) {
                s.append(msg(full, "f" + i, "x"), SUPERSEDE);
            }
            s.append(msg(old, "o1", "x"), SUPERSEDE);
            clock.accept(T0 + 200);
            List<ClaimedBatch> out = claimAllOf(s);
            assertThat(out).hasSize(2);
            clock.accept(T0 + 300);
            s.append(msg(full, "f6", "over max messages"), SUPERSEDE);
            clock.accept(T0 + 5_000);
            s.append(msg(old, "o2", "past max wait"), SUPERSEDE);
            for (ClaimedBatch b : out) {
                assertThat(s.ack(b.lease())).as(b.batch().conversation().conversation()).isEqualTo(LeaseOutcome.OK);
            }
        });
    }

    @Test
    void aChainOfSupersedesIsCarriedWholeByTheLastBatch() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("chain");
            clock.accept(T0);
            s.append(msg(c, "m1", "a"), SUPERSEDE);
            ClaimedBatch x = claimOne(s, clock, T0 + 200);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "b"), SUPERSEDE);
            ClaimedBatch y = claimOne(s, clock, T0 + 500);
            clock.accept(T0 + 600);
            s.append(msg(c, "m3", "c"), SUPERSEDE);
            ClaimedBatch z = claimOne(s, clock, T0 + 800);
            assertThat(texts(z)).containsExactly("a", "b", "c");
            assertThat(z.batch().supersedes()).containsExactly(x.batch().batchId(), y.batch().batchId());
            assertThat(z.batch().earlier()).containsExactly(0, 1);
            int p = z.lease().partition();
            assertThat(s.commit(p, x.batch().batchId()).supersededBy()).isEqualTo(z.batch().batchId());
            assertThat(s.ack(z.lease())).isEqualTo(LeaseOutcome.OK);
        });
    }

    @Test
    void aCommitWaitsWhileThePersonTypesAndIsRefusedWhenTheySend() {
        Policy typing = SUPERSEDE.withQuietMs(5_000).withMaxWaitMs(30_000).withTyping(true, 1_000, 10_000);
        onManualClock((s, clock) -> {
            ConversationRef c = conv("typing");
            clock.accept(T0);
            s.append(msg(c, "m1", "one"), typing);
            ClaimedBatch first = claimOne(s, clock, T0 + 5_000);
            int p = first.lease().partition();
            String id = first.batch().batchId();
            clock.accept(T0 + 6_000);
            s.presence(c, true);
            CommitResult waiting = s.commit(p, id);
            assertThat(waiting.outcome()).isEqualTo(CommitResult.Outcome.NOT_YET);
            assertThat(waiting.readyAtMs()).as("at most the composing timeout").isEqualTo(T0 + 16_000);
            clock.accept(T0 + 8_000);
            s.append(msg(c, "m2", "two"), typing);
            assertThat(s.commit(p, id).outcome()).isEqualTo(CommitResult.Outcome.SUPERSEDED);
        });
    }

    @Test
    void aCommitWaitsWhileThePersonTypesAndSucceedsAGraceAfterTheyStopWithoutSending() {
        Policy typing = SUPERSEDE.withQuietMs(5_000).withMaxWaitMs(30_000).withTyping(true, 1_000, 10_000);
        onManualClock((s, clock) -> {
            ConversationRef c = conv("stopped");
            clock.accept(T0);
            s.append(msg(c, "m1", "one"), typing);
            ClaimedBatch first = claimOne(s, clock, T0 + 5_000);
            int p = first.lease().partition();
            String id = first.batch().batchId();
            clock.accept(T0 + 6_000);
            s.presence(c, true);
            clock.accept(T0 + 7_000);
            s.presence(c, false);
            CommitResult grace = s.commit(p, id);
            assertThat(grace.outcome()).isEqualTo(CommitResult.Outcome.NOT_YET);
            assertThat(grace.readyAtMs()).isEqualTo(T0 + 8_000);
            clock.accept(T0 + 8_000);
            assertThat(s.commit(p, id).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
        });
    }

    @Test
    void aPersonWhoKeepsTypingDoesNotHoldACommitPastMaxWaitOfTheBatchsFirstMessage() {
        Policy typing = SUPERSEDE.withQuietMs(1_000).withMaxWaitMs(8_000).withTyping(true, 1_000, 10_000);
        onManualClock((s, clock) -> {
            ConversationRef c = conv("keeps-typing");
            clock.accept(T0);
            s.append(msg(c, "m1", "one"), typing);
            ClaimedBatch first = claimOne(s, clock, T0 + 1_000);
            clock.accept(T0 + 2_000);
            s.presence(c, true);
            assertThat(s.commit(first.lease().partition(), first.batch().batchId()).readyAtMs()).isEqualTo(T0 + 8_000);
            clock.accept(T0 + 8_000);
            s.presence(c, true);
            assertThat(s.commit(first.lease().partition(), first.batch().batchId()).outcome())
                    .isEqualTo(CommitResult.Outcome.COMMITTED);
        });
    }

    @Test
    void aCommitSucceedsNoSoonerThanTheFloorAfterTheLastMessage() {
        Policy floor = SUPERSEDE.withCommitNotBeforeMs(3_000);
        onManualClock((s, clock) -> {
            ConversationRef c = conv("floor");
            ClaimedBatch first = withTheBot(s, clock, c, floor);
            int p = first.lease().partition();
            CommitResult early = s.commit(p, first.batch().batchId());
            assertThat(early.outcome()).isEqualTo(CommitResult.Outcome.NOT_YET);
            assertThat(early.readyAtMs()).isEqualTo(T0 + 3_000);
            clock.accept(T0 + 3_000);
            assertThat(s.commit(p, first.batch().batchId()).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
        });
    }

    @Test
    void aBatchAwaitingItsCommitStaysSupersedableAndItsCommitReleasesTheNextBatch() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("later");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            int p = first.lease().partition();
            assertThat(s.awaitCommit(first.lease(), 60_000)).isEqualTo(LeaseOutcome.OK);
            assertThat(((StoreAdmin) s).inflight(10)).singleElement()
                    .satisfies(f -> assertThat(f.state()).isEqualTo(FlightState.AWAITING));
            assertThat(s.commit(p, first.batch().batchId()).outcome()).isEqualTo(CommitResult.Outcome.COMMITTED);
            assertThat(((StoreAdmin) s).inflight(10)).as("the commit finished it").isEmpty();
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), SUPERSEDE);
            ClaimedBatch next = claimOne(s, clock, T0 + 500);
            assertThat(texts(next)).containsExactly("two");
            assertThat(s.awaitCommit(next.lease(), 60_000)).isEqualTo(LeaseOutcome.OK);
            clock.accept(T0 + 600);
            s.append(msg(c, "m3", "three"), SUPERSEDE);
            ClaimedBatch merged = claimOne(s, clock, T0 + 800);
            assertThat(texts(merged)).containsExactly("two", "three");
            assertThat(merged.batch().supersedes()).containsExactly(next.batch().batchId());
        });
    }

    @Test
    void aBatchAwaitingItsCommitCountsAsCommittedWhenTheCommitTimeoutPasses() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("timeout");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            s.awaitCommit(first.lease(), 10_000);
            clock.accept(T0 + 5_000);
            s.append(msg(c, "m2", "two"), QUEUE);
            ClaimedBatch next = claimOne(s, clock, T0 + 10_200);
            assertThat(texts(next)).as("the first is finished, not delivered again; the next follows").containsExactly("two");
            assertThat(next.batch().supersedes()).isEmpty();
        });
    }

    @Test
    void theWorkersAreToldWhichBatchWasSuperseded() throws Exception {
        ConcurrentLinkedQueue<String> told = new ConcurrentLinkedQueue<>();
        try (AutoCloseable sub = notices(told, new ConcurrentLinkedQueue<>())) {
            ConversationRef c = conv("told");
            store.append(msg(c, "m1", "one"), SUPERSEDE.withQuietMs(0));
            ClaimedBatch first = awaitBatch(LONG_LEASE);
            store.append(msg(c, "m2", "two"), SUPERSEDE);
            await().atMost(Duration.ofSeconds(5)).until(() -> !told.isEmpty());
            assertThat(told).containsExactly(first.lease().partition() + ":" + first.batch().batchId());
        }
    }

    /**
     * A commit and a new message at the same instant: exactly one wins, on every store. Either the commit is
     * COMMITTED and the message opens the next batch, or it is SUPERSEDED and the message joins the merged batch;
     * every message comes out in exactly one batch the bot may answer.
     */
    @Test
    void aCommitAndANewMessageAtTheSameInstantHaveExactlyOneWinner() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        int committedWins = 0;
        int supersedeWins = 0;
        try {
            for (int round = 0; round < 60; round++) {
                ConversationRef c = conv("race-" + round);
                store.append(msg(c, "a" + round, "first"), SUPERSEDE.withQuietMs(0));
                ClaimedBatch first = awaitBatch(LONG_LEASE);
                CountDownLatch go = new CountDownLatch(1);
                Future<CommitResult> commit = two.submit(() -> {
                    go.await();
                    return store.commit(first.lease().partition(), first.batch().batchId());
                });
                int n = round;
                Future<?> append = two.submit(() -> {
                    go.await();
                    return store.append(msg(c, "b" + n, "second"), SUPERSEDE.withQuietMs(0));
                });
                go.countDown();
                CommitResult r = commit.get(10, TimeUnit.SECONDS);
                append.get(10, TimeUnit.SECONDS);
                LeaseOutcome ack = store.ack(first.lease());
                ClaimedBatch next = awaitBatch(LONG_LEASE);
                if (r.outcome() == CommitResult.Outcome.COMMITTED) {
                    committedWins++;
                    assertThat(ack).isEqualTo(LeaseOutcome.OK);
                    assertThat(texts(next)).containsExactly("second");
                    assertThat(next.batch().supersedes()).isEmpty();
                } else {
                    supersedeWins++;
                    assertThat(r.outcome()).isEqualTo(CommitResult.Outcome.SUPERSEDED);
                    assertThat(ack).isEqualTo(LeaseOutcome.SUPERSEDED);
                    assertThat(texts(next)).containsExactly("first", "second");
                    assertThat(next.batch().supersedes()).containsExactly(first.batch().batchId());
                }
                store.ack(next.lease());
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(committedWins + supersedeWins).isEqualTo(60);
    }

    @Test
    void aClaimSaysWhetherTheConversationsPolicySupersedes() {
        onManualClock((s, clock) -> {
            for (ClaimedBatch b : oneBatchUnderEachRule(s, clock, "sup", "que")) {
                assertThat(b.supersedable()).as(b.batch().conversation().conversation())
                        .isEqualTo(b.batch().conversation().conversation().equals("sup"));
            }
        });
    }

    @Test
    void aBatchAwaitingInAQueueIsWithdrawnOnRequestAndThenSuperseded() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("queued-job");
            clock.accept(T0);
            s.append(msg(c, "m1", "I want"), SUPERSEDE);
            ClaimedBatch first = claimOne(s, clock, T0 + 200);
            int p = first.lease().partition();
            String id = first.batch().batchId();
            assertThat(s.awaitCommit(first.lease(), 60_000, true)).isEqualTo(LeaseOutcome.OK);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "a haircut"), SUPERSEDE);
            assertThat(((StoreAdmin) s).inflight(10)).as("not superseded until the sink says it was withdrawn")
                    .singleElement().satisfies(f -> assertThat(f.batchId()).isEqualTo(id));
            clock.accept(T0 + 600);
            assertThat(claimAllOf(s)).isEmpty();
            assertThat(s.settle(p, id, true)).isEqualTo(LeaseOutcome.SUPERSEDED);
            ClaimedBatch merged = claimOne(s, clock, T0 + 600);
            assertThat(texts(merged)).containsExactly("I want", "a haircut");
            assertThat(merged.batch().supersedes()).containsExactly(id);
            assertThat(s.settle(p, id, true)).as("settled once").isEqualTo(LeaseOutcome.GONE);
        });
    }

    @Test
    void aWithdrawnBatchIsTakenBackEvenWhenTheLimitsChangedMeanwhileSoNothingIsLost() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("withdrawn-late");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            s.awaitCommit(first.lease(), 60_000, true);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), SUPERSEDE);
            clock.accept(T0 + 6_000); // past max wait (5 s): the rule would no longer supersede
            assertThat(s.settle(first.lease().partition(), first.batch().batchId(), true))
                    .isEqualTo(LeaseOutcome.SUPERSEDED);
            ClaimedBatch merged = claimOne(s, clock, T0 + 6_000);
            assertThat(texts(merged)).containsExactly("one", "two");
        });
    }

    @Test
    void aBatchItsConsumerAlreadyTookCountsAsCommittedAndTheNewMessageIsTheNextBatch() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("taken-job");
            ClaimedBatch first = withTheBot(s, clock, c, SUPERSEDE);
            int p = first.lease().partition();
            s.awaitCommit(first.lease(), 60_000, true);
            clock.accept(T0 + 300);
            s.append(msg(c, "m2", "two"), SUPERSEDE);
            assertThat(s.settle(p, first.batch().batchId(), false)).isEqualTo(LeaseOutcome.OK);
            ClaimedBatch next = claimOne(s, clock, T0 + 500);
            assertThat(texts(next)).containsExactly("two");
            assertThat(next.batch().supersedes()).isEmpty();
            assertThat(s.settle(p, "0123456789abcdef0123-9", false)).isEqualTo(LeaseOutcome.GONE);
        });
    }

    @Test
    void theWorkersAreAskedOnceToWithdrawABatchAwaitingInAQueue() throws Exception {
        ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
        try (AutoCloseable sub = notices(new ConcurrentLinkedQueue<>(), asked)) {
            ConversationRef c = conv("ask");
            store.append(msg(c, "m1", "one"), SUPERSEDE.withQuietMs(0));
            ClaimedBatch first = awaitBatch(LONG_LEASE);
            store.awaitCommit(first.lease(), 60_000, true);
            store.append(msg(c, "m2", "two"), SUPERSEDE);
            store.append(msg(c, "m3", "three"), SUPERSEDE);
            await().atMost(Duration.ofSeconds(5)).until(() -> !asked.isEmpty());
            typingPause(200);
            assertThat(asked).containsExactly(first.lease().partition() + ":" + first.batch().batchId());
        }
    }
}
