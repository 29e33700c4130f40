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
import io.rapidfire.core.StoreAdmin;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import static io.rapidfire.testing.InputPace.typingPause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hot path ({@link io.rapidfire.core.BatchQueue}): every release rule and its reason (the table of cases,
 * release-rules.json, at exact times on a manual clock, and the same rules on the real clock), order, de-duplication,
 * leases, expiry, retry, the next batch after an in-flight one, wake-ups, and the original's read-then-delete race.
 */
public abstract class BatchQueueContract extends StoreContractSupport {
    static List<ReleaseRuleCase> releaseRuleCases() {
        return ReleaseRuleCase.all();
    }

    /**
     * The table of release rules ({@code release-rules.json}) on this store, at exact times: each message is
     * appended at its time, the deadline the store reports must be the table's, nothing is released 1 ms before
     * it, and one claim at it takes the table's messages, reason and text.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releaseRuleCases")
    void theReleaseRulesTableHoldsOnThisStore(ReleaseRuleCase c) {
        ClockedStore clocked = newStoreOnManualClock();
        BatchStore s = clocked.store();
        try {
            long start = 1_800_000_000_000L;
            ConversationRef conv = conv("7900" + Math.abs(c.name().hashCode()));
            AppendResult last = null;
            for (ReleaseRuleCase.Event e : c.events()) {
                clocked.setTime().accept(start + e.at());
                if (e.isMessage()) {
                    boolean media = c.release() == ReleaseReason.MEDIA && e.msg() == c.last();
                    io.rapidfire.core.Message m = e.msg().message(conv);
                    ReleaseReason asked = media ? ReleaseReason.MEDIA : null;
                    last = s.append(m, io.rapidfire.core.ReleaseRules.forAppend(m, c.policy(), asked), asked);
                } else {
                    s.presence(conv, e.typing());
                }
            }
            long due = last.dueAtMs();
            if (c.release() == ReleaseReason.FLUSH) {
                assertThat(s.flush(conv)).isTrue();
            }
            if (c.release() == ReleaseReason.FLUSH || c.events().size() > c.messages().size()) {
                due = s.pending(100).stream().filter(b -> b.conversation().equals(conv)).findFirst().orElseThrow()
                        .dueAtMs();
            }
            assertThat(due - start).as("deadline").isEqualTo(c.deadline());

            clocked.setTime().accept(start + c.deadline() - 1);
            assertThat(claimAllOf(s)).as("nothing released 1 ms before the deadline").isEmpty();
            clocked.setTime().accept(start + c.deadline());
            List<ClaimedBatch> got = claimAllOf(s);
            assertThat(got).as("one batch at the deadline").hasSize(1);
            assertThat(got.get(0).batch().size()).as("messages delivered (edits and deletions folded in)")
                    .isEqualTo(c.delivered());
            assertThat(got.get(0).batch().reason()).as("reason").isEqualTo(c.reason());
            assertThat(got.get(0).batch().text()).as("text").isEqualTo(c.text());
        } finally {
            s.close();
        }
    }

    @Test
    void aSenderKnownOnlyByAPresenceEventIsForgottenAfterTheTtlGiven() {
        Policy typing = FAST.withQuietMs(5_000).withMaxWaitMs(30_000).withTyping(true, 1_000, 10_000);
        ConversationRef kept = conv("79005550101");
        ConversationRef forgotten = conv("79005550102");
        ConversationRef never = conv("79005550103");
        store.presence(forgotten, true, 200);
        store.presence(kept, true, 60_000);
        typingPause(700);
        java.util.function.Function<ConversationRef, Long> waitAfterAppend = c -> {
            long before = store.nowMs();
            return store.append(msg(c, "p-" + c.conversation(), "hi"), typing).dueAtMs() - before;
        };
        long withPresence = waitAfterAppend.apply(kept);
        long afterTtl = waitAfterAppend.apply(forgotten);
        long without = waitAfterAppend.apply(never);
        assertThat(withPresence).as("typing seen: released a grace after the message").isBetween(900L, 1_300L);
        assertThat(without).as("no presence: the quiet period").isBetween(4_900L, 5_300L);
        assertThat(afterTtl).as("the presence-only state was forgotten after its TTL").isBetween(4_900L, 5_300L);
    }

    @Test
    void aBatchIsReleasedOnceTheConversationHasBeenQuietForTheQuietPeriod() {
        ConversationRef c = conv("79001234567");
        store.append(msg(c, "m1", "Hi,"), FAST);
        store.append(msg(c, "m2", "book me"), FAST);
        AppendResult last = store.append(msg(c, "m3", "for a haircut"), FAST);

        assertThat(claimAll(LONG_LEASE)).as("nothing is released before the quiet period").isEmpty();
        ClaimedBatch b = awaitBatch(LONG_LEASE);

        assertThat(b.batch().reason()).isEqualTo(ReleaseReason.QUIET);
        assertThat(b.batch().text()).isEqualTo("Hi, book me for a haircut");
        assertThat(b.batch().conversation()).isEqualTo(c);
        assertThat(b.batch().attempt()).isEqualTo(1);
        assertThat(last.dueAtMs()).isEqualTo(b.batch().lastMessageAtMs() + FAST.quietMs());
    }

    @Test
    void everyNewMessageRestartsTheQuietPeriod() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("typing");
            Policy p = FAST.withQuietMs(300).withMaxMessages(10);
            for (int i = 0; i < 5; i++) {
                clock.accept(T0 + i * 250L);
                s.append(msg(c, "m" + i, "part" + i), p);
                clock.accept(T0 + i * 250L + 249);
                assertThat(claimAllOf(s)).as("released while the person was still typing").isEmpty();
            }
            clock.accept(T0 + 4 * 250L + 299);
            assertThat(claimAllOf(s)).as("1 ms before the quiet period ends").isEmpty();
            clock.accept(T0 + 4 * 250L + 300);
            List<ClaimedBatch> got = claimAllOf(s);
            assertThat(got).hasSize(1);
            assertThat(texts(got.get(0))).containsExactly("part0", "part1", "part2", "part3", "part4");
            assertThat(got.get(0).batch().reason()).isEqualTo(ReleaseReason.QUIET);
        });
    }

    @Test
    void maxWaitReleasesAConversationThatNeverGoesQuiet() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("chatty");
            Policy p = new Policy(300, 700, 1000, 100_000, " ");
            for (int i = 0; i <= 6; i++) {
                clock.accept(T0 + i * 100L);
                s.append(msg(c, "m" + i, "w" + i), p);
                assertThat(claimAllOf(s)).isEmpty();
            }
            clock.accept(T0 + 699);
            assertThat(claimAllOf(s)).isEmpty();
            clock.accept(T0 + 700);
            List<ClaimedBatch> got = claimAllOf(s);
            assertThat(got).as("released by max wait although messages kept coming").hasSize(1);
            assertThat(got.get(0).batch().reason()).isEqualTo(ReleaseReason.MAX_WAIT);
            assertThat(got.get(0).batch().size()).isEqualTo(7);
        });
    }

    @Test
    void maxMessagesReleasesAtOnceAndTheNextMessageStartsTheNextBatch() {
        ConversationRef c = conv("burst");
        Policy p = FAST.withQuietMs(10_000).withMaxMessages(3);
        for (int i = 1; i <= 4; i++) {
            store.append(msg(c, "m" + i, "t" + i), p);
        }
        List<ClaimedBatch> first = claimAll(LONG_LEASE);
        assertThat(first).as("due at once, without waiting for quiet").hasSize(1);
        assertThat(texts(first.get(0))).containsExactly("t1", "t2", "t3");
        assertThat(first.get(0).batch().reason()).isEqualTo(ReleaseReason.MAX_MESSAGES);

        assertThat(store.ack(first.get(0).lease())).isEqualTo(LeaseOutcome.OK);
        assertThat(store.flush(c)).isTrue();
        ClaimedBatch second = awaitBatch(LONG_LEASE);
        assertThat(texts(second)).containsExactly("t4");
        assertThat(second.batch().seq()).isEqualTo(first.get(0).batch().seq() + 1);
    }

    @Test
    void maxBytesReleasesWhenTheNextMessageWouldNotFit() {
        ConversationRef c = conv("long-texts");
        Policy p = FAST.withQuietMs(10_000).withMaxBytes(10);
        store.append(msg(c, "m1", "12345"), p);
        store.append(msg(c, "m2", "6789"), p);
        assertThat(claimAll(LONG_LEASE)).as("9 of 10 bytes: still open").isEmpty();
        store.append(msg(c, "m3", "abc"), p);

        List<ClaimedBatch> got = claimAll(LONG_LEASE);
        assertThat(got).hasSize(1);
        assertThat(texts(got.get(0))).containsExactly("12345", "6789");
        assertThat(got.get(0).batch().reason()).isEqualTo(ReleaseReason.MAX_BYTES);
        assertThat(got.get(0).batch().contentBytes()).isLessThanOrEqualTo(10);
    }

    @Test
    void aMessageLargerThanMaxBytesIsRejectedAndNothingIsStored() {
        ConversationRef c = conv("huge");
        assertThatThrownBy(() -> store.append(msg(c, "m1", "x".repeat(101)), FAST))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("101 bytes").hasMessageContaining("maxBytes is 100");
        assertThat(store.counts().pending()).isZero();
        assertThat(store.flush(c)).isFalse();
    }

    @Test
    void aMediaMessageCanReleaseTheOpenBatchAtOnceWithReasonMedia() {
        ConversationRef c = conv("photo");
        Policy slow = FAST.withQuietMs(60_000);
        store.append(msg(c, "m1", "look at this"), slow);
        assertThat(claimAll(LONG_LEASE)).isEmpty();
        store.append(msg(c, "m2", "my cat"), slow, ReleaseReason.MEDIA);
        List<ClaimedBatch> got = claimAll(LONG_LEASE);
        assertThat(got).singleElement().satisfies(b -> {
            assertThat(b.batch().reason()).isEqualTo(ReleaseReason.MEDIA);
            assertThat(texts(b)).containsExactly("look at this", "my cat");
        });
    }

    @Test
    void withBatchingOffEveryMessageIsReleasedAloneInOrderWithReasonPassthrough() {
        ConversationRef c = conv("unbatched");
        Policy off = FAST.passthrough();
        for (int i = 1; i <= 3; i++) {
            store.append(msg(c, "m" + i, "t" + i), off);
        }
        for (int i = 1; i <= 3; i++) {
            List<ClaimedBatch> got = claimAll(LONG_LEASE);
            assertThat(got).as("one message at a time, the next after the ack").hasSize(1);
            assertThat(texts(got.get(0))).containsExactly("t" + i);
            assertThat(got.get(0).batch().reason()).isEqualTo(ReleaseReason.PASSTHROUGH);
            store.ack(got.get(0).lease());
        }
    }

    @Test
    void aClaimSaysHowLateAfterItsDeadlineANewBatchWasClaimed() {
        onManualClock((s, clock) -> {
            clock.accept(T0);
            AppendResult r = s.append(msg(conv("late"), "m1", "x"), FAST.withQuietMs(0));
            assertThat(r.dueAtMs()).isEqualTo(T0);
            clock.accept(T0 + 150);
            assertThat(claimAllOf(s)).singleElement().satisfies(b -> assertThat(b.lateMs()).isEqualTo(150));
        });
    }

    @Test
    void messagesAreOrderedByPlatformTimestampThenByArrival() {
        ConversationRef c = conv("concurrent-bridge");
        store.append(Message.text(c, "m1", "c", 3_000L), FAST);
        store.append(Message.text(c, "m2", "a", 1_000L), FAST);
        store.append(Message.text(c, "m3", "b1", 2_000L), FAST);
        store.append(Message.text(c, "m4", "b2", 2_000L), FAST);
        ClaimedBatch b = awaitBatch(LONG_LEASE);
        assertThat(texts(b)).containsExactly("a", "b1", "b2", "c");
        assertThat(b.batch().text()).isEqualTo("a b1 b2 c");
    }

    @Test
    void anAsyncAppendIsStoredLikeAnAppendInOrderAndARepeatIsADuplicate() throws Exception {
        ConversationRef c = conv("async-caller");
        assertThat(store.appendAsync(msg(c, "a1", "Hi,"), FAST, null).get(5, TimeUnit.SECONDS).duplicate()).isFalse();
        assertThat(store.append(msg(c, "a2", "book me"), FAST).duplicate()).isFalse();
        AppendResult third = store.appendAsync(msg(c, "a3", "for Friday"), FAST, null).get(5, TimeUnit.SECONDS);
        assertThat(third.duplicate()).isFalse();
        assertThat(third.openMessages()).isEqualTo(3);
        assertThat(store.appendAsync(msg(c, "a1", "Hi,"), FAST, null).get(5, TimeUnit.SECONDS).duplicate())
                .as("the same id again, asynchronously").isTrue();
        List<ClaimedBatch> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            got.addAll(claimAll(LONG_LEASE));
            return !got.isEmpty();
        });
        assertThat(got).hasSize(1);
        assertThat(got.get(0).batch().messages()).extracting(Message::id).containsExactly("a1", "a2", "a3");
    }

    @Test
    void asyncAppendsToOnePartitionArrivingTogetherAreEachAnsweredAndKeepTheirOrder() {
        // A store may send the appends waiting for one partition in one call (Redis: group commit); each still gets
        // its own answer, and one conversation's messages stay in the order they were asked.
        Policy roomy = new Policy(60_000, 120_000, 50, 16_384, " ");
        List<ConversationRef> same = new ArrayList<>();
        int partition = store.partitionOf(conv("together-0"));
        for (int i = 0; same.size() < 3 && i < 10_000; i++) {
            if (store.partitionOf(conv("together-" + i)) == partition) {
                same.add(conv("together-" + i));
            }
        }
        List<java.util.concurrent.CompletableFuture<AppendResult>> asked = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (ConversationRef c : same) {
                asked.add(store.appendAsync(msg(c, "m" + round, "w" + round), roomy, null));
            }
        }
        var repeat = store.appendAsync(msg(same.get(0), "m3", "w3"), roomy, null);
        var tooLarge = store.appendAsync(msg(same.get(1), "big", "far more than eight bytes"),
                new Policy(60_000, 120_000, 50, 8, " "), null);
        var after = store.appendAsync(msg(same.get(2), "m10", "w10"), roomy, null);
        for (int i = 0; i < asked.size(); i++) {
            AppendResult r = asked.get(i).join();
            assertThat(r.duplicate()).as("append %d", i).isFalse();
            assertThat(r.openMessages()).as("append %d: its conversation's count so far", i).isEqualTo(i / 3 + 1);
        }
        assertThat(repeat.join().duplicate()).as("an id already stored, in the same group").isTrue();
        assertThatThrownBy(tooLarge::join).hasCauseInstanceOf(InvalidMessageException.class);
        assertThat(after.join().openMessages()).as("answered after a refused one").isEqualTo(11);
        for (ConversationRef c : same) {
            store.flush(c);
        }
        List<ClaimedBatch> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            got.addAll(claimAll(LONG_LEASE));
            return got.size() == 3;
        });
        for (ClaimedBatch b : got) {
            List<String> expected = new ArrayList<>();
            for (int round = 0; round < (b.batch().conversation().equals(same.get(2)) ? 11 : 10); round++) {
                expected.add("w" + round);
            }
            assertThat(texts(b)).as("%s in the order asked", b.batch().conversation()).isEqualTo(expected);
        }
    }

    @Test
    void anAsyncAppendOfAMessageTooLargeFailsTheFutureAndStoresNothing() {
        ConversationRef c = conv("async-too-large");
        Policy tiny = new Policy(FAST.quietMs(), FAST.maxWaitMs(), FAST.maxMessages(), 8, FAST.joiner());
        java.util.concurrent.CompletableFuture<AppendResult> f = store.appendAsync(msg(c, "big", "far more than eight bytes"), tiny, null);
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidMessageException.class);
        assertThat(store.appendAsync(msg(c, "small", "ok"), FAST, null).join().openMessages())
                .as("nothing of the refused message was stored").isEqualTo(1);
    }

    @Test
    void aRepeatedMessageIdIsStoredOnceAndReportedAsDuplicate() {
        ConversationRef c = conv("retrying-platform");
        assertThat(store.append(msg(c, "wamid.1", "hello"), FAST).duplicate()).isFalse();
        assertThat(store.append(msg(c, "wamid.1", "hello"), FAST).duplicate()).isTrue();
        assertThat(store.append(msg(conv("other"), "wamid.1", "hi"), FAST).duplicate())
                .as("ids are per conversation").isFalse();
        List<ClaimedBatch> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            got.addAll(claimAll(LONG_LEASE));
            return got.size() == 2;
        });
        ClaimedBatch mine = got.stream().filter(b -> b.batch().conversation().equals(c)).findFirst().orElseThrow();
        assertThat(mine.batch().size()).isEqualTo(1);
        store.ack(mine.lease());
        assertThat(store.append(msg(c, "wamid.1", "hello"), FAST).duplicate())
                .as("still a duplicate after its batch was delivered").isTrue();
    }

    @Test
    void aLeasedBatchIsNotClaimedAgainWhileTheLeaseHolds() {
        ConversationRef c = conv("leased");
        store.append(msg(c, "m1", "x"), FAST.withQuietMs(0));
        assertThat(claimAll(LONG_LEASE)).hasSize(1);
        assertThat(claimAll(LONG_LEASE)).isEmpty();
        assertThat(store.counts().inflight()).isEqualTo(1);
    }

    @Test
    void anExpiredLeaseRedeliversTheSameBatchWithTheSameIdAndMessages() {
        ConversationRef c = conv("crashy");
        store.append(msg(c, "m1", "one"), FAST.withQuietMs(0));
        store.append(msg(c, "m2", "two"), FAST.withQuietMs(0));
        List<ClaimedBatch> first = claimAll(300);
        assertThat(first).hasSize(1);

        ClaimedBatch again = awaitBatch(LONG_LEASE);
        assertThat(again.batch().batchId()).isEqualTo(first.get(0).batch().batchId());
        assertThat(again.batch().messages()).isEqualTo(first.get(0).batch().messages());
        assertThat(again.batch().reason()).isEqualTo(first.get(0).batch().reason());
        assertThat(again.batch().attempt()).isEqualTo(2);

        assertThat(store.ack(first.get(0).lease())).as("the stale lease cannot ack").isEqualTo(LeaseOutcome.TAKEN_OVER);
        assertThat(store.renew(first.get(0).lease(), 1000)).isEqualTo(LeaseOutcome.TAKEN_OVER);
        assertThat(store.ack(again.lease())).isEqualTo(LeaseOutcome.OK);
        assertThat(store.ack(again.lease())).isEqualTo(LeaseOutcome.GONE);
    }

    @Test
    void renewingALeaseKeepsTheBatchFromBeingClaimedAgainAndAnUnrenewedOneExpires() {
        onManualClock((s, clock) -> {
            clock.accept(T0);
            s.append(msg(conv("slow-downstream"), "m1", "x"), FAST.withQuietMs(0));
            ClaimedBatch b = claimAllOf(s, 300).get(0);
            for (long t = 100; t <= 900; t += 100) {
                clock.accept(T0 + t);
                assertThat(s.renew(b.lease(), 300)).isEqualTo(LeaseOutcome.OK);
                assertThat(claimAllOf(s, 300)).isEmpty();
            }
            clock.accept(T0 + 900 + 299);
            assertThat(claimAllOf(s, 300)).as("the last renewal holds 300 ms").isEmpty();
            clock.accept(T0 + 900 + 300);
            assertThat(claimAllOf(s, 300)).as("not renewed: claimed again").singleElement()
                    .satisfies(again -> assertThat(again.batch().attempt()).isEqualTo(2));
            assertThat(s.ack(b.lease())).as("the old lease was taken over").isEqualTo(LeaseOutcome.TAKEN_OVER);
        });
    }

    @Test
    void retryRedeliversTheSameBatchAfterTheDelayWithTheNextAttempt() {
        onManualClock((s, clock) -> {
            clock.accept(T0);
            s.append(msg(conv("flaky-downstream"), "m1", "x"), FAST.withQuietMs(0));
            ClaimedBatch b = claimAllOf(s).get(0);
            assertThat(s.retry(b.lease(), 400, "HTTP 503")).isEqualTo(LeaseOutcome.OK);
            clock.accept(T0 + 399);
            assertThat(claimAllOf(s)).as("not before the retry delay").isEmpty();
            assertThat(((StoreAdmin) s).inflight(10)).singleElement().satisfies(f -> {
                assertThat(f.state()).isEqualTo(io.rapidfire.core.FlightState.RETRY);
                assertThat(f.lastError()).isEqualTo("HTTP 503");
            });
            clock.accept(T0 + 400);
            ClaimedBatch again = claimAllOf(s).get(0);
            assertThat(again.batch().batchId()).isEqualTo(b.batch().batchId());
            assertThat(again.batch().attempt()).isEqualTo(2);
            assertThat(again.batch().messages()).isEqualTo(b.batch().messages());
        });
    }

    @Test
    void messagesArrivingWhileABatchIsInFlightFormTheNextBatchReleasedOnlyAfterTheAck() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("in-order");
            clock.accept(T0);
            s.append(msg(c, "m1", "one"), FAST);
            clock.accept(T0 + FAST.quietMs());
            ClaimedBatch first = claimAllOf(s).get(0);
            clock.accept(T0 + 210);
            AppendResult waiting = s.append(msg(c, "m2", "two"), FAST);
            clock.accept(T0 + 220);
            s.append(msg(c, "m3", "three"), FAST);
            assertThat(waiting.dueAtMs()).as("no deadline while the batch is in flight").isEqualTo(-1);

            clock.accept(T0 + 5_000);
            assertThat(claimAllOf(s)).as("batch k+1 is not released before batch k is acknowledged").isEmpty();
            assertThat(((StoreAdmin) s).inflight(10)).singleElement()
                    .satisfies(f -> assertThat(f.waitingMessages()).isEqualTo(2));

            s.ack(first.lease());
            ClaimedBatch second = claimAllOf(s).get(0);
            assertThat(texts(second)).containsExactly("two", "three");
            assertThat(second.batch().batchId()).isNotEqualTo(first.batch().batchId());
        });
    }

    @Test
    void aClaimReportsTheNextDeadlineSoAWorkerCanSleepUntilIt() {
        ConversationRef c = conv("sleepy");
        AppendResult r = store.append(msg(c, "m1", "x"), FAST.withQuietMs(5_000));
        int p = store.partitionOf(c);
        ClaimResult result = store.claim(p, 10, LONG_LEASE, "w");
        assertThat(result.batches()).isEmpty();
        assertThat(result.nextDueAtMs()).isEqualTo(r.dueAtMs());
        assertThat(result.nextDueAtMs() - result.storeNowMs()).isBetween(4_000L, 5_000L);
    }

    @Test
    void anEarlierDeadlineWakesTheWorkers() {
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        try (AutoCloseable sub = store.onWake((p, at) -> seen.add(at))) {
            typingPause(50); // let a pub/sub subscription settle
            store.append(msg(conv("w1"), "m1", "x"), FAST.withQuietMs(0));
            await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(seen).isNotEmpty();
    }

    /**
     * The original system's latent bug: a message appended between the processor's read of the list and its
     * delete was lost without a trace. Here appends race claims on ONE conversation as hard as two threads can;
     * every message must come out exactly once, in order.
     */
    @Test
    void aMessageAppendedWhileItsConversationIsBeingClaimedIsNeitherLostNorDuplicated() throws Exception {
        ConversationRef c = conv("race");
        Policy now = new Policy(0, 1_000, 50, 100_000, " ");
        int total = 3_000;
        AtomicBoolean appending = new AtomicBoolean(true);
        List<String> delivered = new ArrayList<>();
        Thread claimer = new Thread(() -> {
            int p = store.partitionOf(c);
            while (true) {
                boolean last = !appending.get();
                for (ClaimedBatch b : store.claim(p, 10, LONG_LEASE, "racer").batches()) {
                    b.batch().messages().forEach(m -> delivered.add(m.id()));
                    store.ack(b.lease());
                }
                if (last && store.counts().pending() == 0 && store.counts().inflight() == 0) {
                    return;
                }
            }
        });
        claimer.start();
        for (int i = 0; i < total; i++) {
            store.append(msg(c, "m" + i, "t" + i), now);
        }
        appending.set(false);
        claimer.join(Duration.ofSeconds(60).toMillis());
        assertThat(claimer.isAlive()).isFalse();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add("m" + i);
        }
        Set<String> unique = new HashSet<>(delivered);
        assertThat(unique).as("no message delivered twice").hasSize(delivered.size());
        assertThat(delivered).as("every message delivered once, in order").isEqualTo(expected);
    }

}
