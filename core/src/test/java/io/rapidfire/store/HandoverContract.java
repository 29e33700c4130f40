package io.rapidfire.store;

import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.CommitResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Handover;
import io.rapidfire.core.HandoverBy;
import io.rapidfire.core.HandoverControl;
import io.rapidfire.core.LeaseOutcome;
import io.rapidfire.core.Policy;
import io.rapidfire.core.Handovers.HandoverChange;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;
import io.rapidfire.core.ReleaseReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Handing a conversation to a human ({@link Handover}): in force exactly until its time on the store's clock, marked
 * on the batches claimed meanwhile, answered at the commit, and announced in order by {@link HandoverControl}. Every
 * store runs it (memory, Redis, Cluster, Sentinel).
 */
public abstract class HandoverContract extends StoreContractSupport {
    private static final long MINUTE = 60_000;

    private static HandoverControl control(BatchStore s) {
        return HandoverControl.of(s, c -> FAST);
    }

    private static List<String> types(ClaimedBatch b) {
        return b.batch().messages().stream().map(m -> m.type().wire()).toList();
    }

    @Test
    void aHandoverIsInForceUntilExactlyItsTimeOnTheStoresClock() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("ana");
            clock.accept(T0);
            HandoverChange started = s.startHandover(c, MINUTE, HandoverBy.BUSINESS);
            assertThat(started.started()).isTrue();
            assertThat(started.state()).isEqualTo(new Handover(c, T0, T0 + MINUTE, "business"));
            clock.accept(T0 + MINUTE - 1);
            assertThat(s.handover(c)).isEqualTo(started.state());
            assertThat(s.handovers(10)).containsExactly(started.state());
            assertThat(s.expiredHandovers(s.partitionOf(c), 10)).isEmpty();
            clock.accept(T0 + MINUTE);
            assertThat(s.handover(c)).as("ended at its time").isNull();
            assertThat(s.handovers(10)).isEmpty();
            assertThat(s.expiredHandovers(s.partitionOf(c), 10)).as("its end not yet announced")
                    .containsExactly(started.state());
            assertThat(s.handover(conv("bob"))).as("another conversation").isNull();
        });
    }

    @Test
    void aRefreshMovesTheEndLaterNeverEarlierAndKeepsWhoStartedIt() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("ana");
            clock.accept(T0);
            s.startHandover(c, 10 * MINUTE, HandoverBy.OPERATOR);
            clock.accept(T0 + MINUTE);
            HandoverChange shorter = s.startHandover(c, MINUTE, HandoverBy.BUSINESS);
            assertThat(shorter.started()).isFalse();
            assertThat(shorter.state()).isEqualTo(new Handover(c, T0, T0 + 10 * MINUTE, "operator"));
            clock.accept(T0 + 5 * MINUTE);
            assertThat(s.startHandover(c, 30 * MINUTE, HandoverBy.BUSINESS).state().untilMs())
                    .isEqualTo(T0 + 35 * MINUTE);
            assertThat(s.startHandover(c, Handover.FOREVER, HandoverBy.OPERATOR).state().forever()).isTrue();
            assertThat(s.startHandover(c, MINUTE, HandoverBy.BUSINESS).state().forever())
                    .as("a business message during bot off leaves it off").isTrue();
            clock.accept(T0 + 100 * Handover.MAX_MS);
            assertThat(s.handover(c)).as("bot off has no end").isNotNull();
            assertThat(s.expiredHandovers(s.partitionOf(c), 10)).isEmpty();
        });
    }

    @Test
    void endingAHandoverReturnsItAndEndingNoneChangesNothing() {
        ConversationRef c = conv("ana");
        assertThat(store.endHandover(c)).isNull();
        Handover h = store.startHandover(c, Handover.FOREVER, HandoverBy.OPERATOR).state();
        assertThat(store.endHandover(c)).isEqualTo(h);
        assertThat(store.handover(c)).isNull();
        assertThat(store.handovers(10)).isEmpty();
        assertThat(store.expiredHandovers(store.partitionOf(c), 10)).as("ended, not expired").isEmpty();
        assertThat(store.endHandover(c)).isNull();
    }

    @Test
    void anExpiredHandoverIsForgottenOnlyAsItWas() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("ana");
            clock.accept(T0);
            Handover first = s.startHandover(c, MINUTE, HandoverBy.BUSINESS).state();
            clock.accept(T0 + 2 * MINUTE);
            Handover other = new Handover(c, first.sinceMs(), first.untilMs() + 1, first.by());
            assertThat(s.forgetHandover(other)).as("not that one").isFalse();
            HandoverChange again = s.startHandover(c, MINUTE, HandoverBy.OPERATOR);
            assertThat(again.started()).isTrue();
            assertThat(again.expired()).as("the end still to announce").isEqualTo(first);
            assertThat(s.forgetHandover(first)).as("started again meanwhile").isFalse();
            clock.accept(T0 + 4 * MINUTE);
            assertThat(s.expiredHandovers(s.partitionOf(c), 10)).containsExactly(again.state());
            assertThat(s.forgetHandover(again.state())).isTrue();
            assertThat(s.expiredHandovers(s.partitionOf(c), 10)).isEmpty();
            assertThat(s.startHandover(c, MINUTE, HandoverBy.OPERATOR).expired()).as("announced and forgotten").isNull();
        });
    }

    @Test
    void aHandoverLongerThanAWeekOrOfNoTimeIsRefused() {
        ConversationRef c = conv("ana");
        assertThatThrownBy(() -> store.startHandover(c, 0, HandoverBy.OPERATOR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one week");
        assertThatThrownBy(() -> store.startHandover(c, Handover.MAX_MS + 1, HandoverBy.OPERATOR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Long.toString(Handover.MAX_MS));
        assertThat(store.handover(c)).isNull();
    }

    @Test
    void batchesClaimedDuringAHandoverAreMarkedAndTheOnesAfterItAreNot() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("ana");
            clock.accept(T0);
            s.startHandover(c, MINUTE, HandoverBy.BUSINESS);
            s.append(msg(c, "m1", "is anyone there?"), FAST);
            clock.accept(T0 + 200);
            ClaimedBatch during = claimAllOf(s).get(0);
            assertThat(during.batch().handover()).isTrue();
            s.ack(during.lease());
            s.append(msg(c, "m2", "thanks"), FAST);
            clock.accept(T0 + MINUTE);
            ClaimedBatch after = claimAllOf(s).get(0);
            assertThat(texts(after)).containsExactly("thanks");
            assertThat(after.batch().handover()).as("claimed at the end: the bot answers").isFalse();
        });
    }

    @Test
    void aCommitDuringAHandoverIsRefusedAndOneGivenBeforeStaysGiven() {
        onManualClock((s, clock) -> {
            ConversationRef ana = conv("ana");
            ConversationRef bob = conv("bob");
            clock.accept(T0);
            s.append(msg(ana, "a1", "hi"), FAST);
            s.append(msg(bob, "b1", "hi"), FAST);
            clock.accept(T0 + 200);
            List<ClaimedBatch> both = claimAllOf(s);
            ClaimedBatch a = both.stream().filter(b -> b.batch().conversation().equals(ana)).findFirst().orElseThrow();
            ClaimedBatch b = both.stream().filter(x -> x.batch().conversation().equals(bob)).findFirst().orElseThrow();
            assertThat(s.commit(b.lease().partition(), b.lease().batchId()).outcome())
                    .isEqualTo(CommitResult.Outcome.COMMITTED);
            s.startHandover(ana, MINUTE, HandoverBy.OPERATOR);
            s.startHandover(bob, MINUTE, HandoverBy.OPERATOR);
            assertThat(s.commit(a.lease().partition(), a.lease().batchId()).outcome())
                    .isEqualTo(CommitResult.Outcome.HANDED_OVER);
            assertThat(s.commit(b.lease().partition(), b.lease().batchId()).outcome())
                    .as("committed before the human came").isEqualTo(CommitResult.Outcome.COMMITTED);
            s.endHandover(ana);
            assertThat(s.commit(a.lease().partition(), a.lease().batchId()).outcome())
                    .as("refused once, the batch is the human's: asked after the handover ended, still refused")
                    .isEqualTo(CommitResult.Outcome.HANDED_OVER);
        });
    }

    private static final Policy SUPERSEDE = FAST.withSupersede(true);

    /** A batch under supersede with the bot (awaiting its commit, or not), then a human takes over and its commit is refused. */
    private static ClaimedBatch claimedThenHandedOver(BatchStore s, LongConsumer clock, ConversationRef c, boolean awaiting) {
        clock.accept(T0);
        s.append(msg(c, "a1", "is it open"), SUPERSEDE);
        clock.accept(T0 + 200);
        ClaimedBatch first = claimAllOf(s).get(0);
        assertThat(first.supersedable()).isTrue();
        if (awaiting) {
            assertThat(s.awaitCommit(first.lease(), MINUTE, false)).isEqualTo(LeaseOutcome.OK);
        }
        s.startHandover(c, MINUTE, HandoverBy.OPERATOR);
        assertThat(s.commit(first.lease().partition(), first.lease().batchId()).outcome())
                .isEqualTo(CommitResult.Outcome.HANDED_OVER);
        return first;
    }

    @Test
    void aBatchWhoseCommitAHumanRefusedNeverComesBackToTheBotInAMergedBatch() {
        onManualClock((s, clock) -> {
            ConversationRef ana = conv("ana");
            ClaimedBatch first = claimedThenHandedOver(s, clock, ana, false);
            clock.accept(T0 + 300);
            s.append(msg(ana, "a2", "hello?"), SUPERSEDE);
            assertThat(s.ack(first.lease())).as("not superseded by the message after it").isEqualTo(LeaseOutcome.OK);
            clock.accept(T0 + 600);
            ClaimedBatch next = claimAllOf(s).get(0);
            assertThat(next.batch().messages()).extracting(Message::id).containsExactly("a2");
            assertThat(next.batch().supersedes()).isEmpty();
            assertThat(s.commit(first.lease().partition(), first.lease().batchId()).outcome())
                    .as("its late commit, from the tombstone").isEqualTo(CommitResult.Outcome.HANDED_OVER);
        });
    }

    @Test
    void aLateCommitOfABatchAHumanTookIsStillAnsweredHandedOverAfterTheHandoverEventsPolicy() {
        onManualClock((s, clock) -> {
            ConversationRef ana = conv("ana");
            clock.accept(T0);
            s.append(msg(ana, "a1", "is it open"), SUPERSEDE);
            clock.accept(T0 + 200);
            ClaimedBatch first = claimAllOf(s).get(0);
            // The operator's start appends its event under the policy with supersede off, as HandoverControl does.
            HandoverControl.of(s, c -> SUPERSEDE).start(ana, MINUTE, HandoverBy.OPERATOR);
            assertThat(s.commit(first.lease().partition(), first.lease().batchId()).outcome())
                    .isEqualTo(CommitResult.Outcome.HANDED_OVER);
            assertThat(s.ack(first.lease())).isEqualTo(LeaseOutcome.OK);
            assertThat(s.commit(first.lease().partition(), first.lease().batchId()).outcome())
                    .as("the tombstone follows how the batch was claimed, not the event's policy")
                    .isEqualTo(CommitResult.Outcome.HANDED_OVER);
        });
    }

    @Test
    void aBatchClaimedWhileAHumanHasTheChatIsTheirsAndComesBackMarkedAfterTheHandoverEnded() {
        onManualClock((s, clock) -> {
            ConversationRef ana = conv("ana");
            clock.accept(T0);
            s.startHandover(ana, MINUTE, HandoverBy.OPERATOR);
            s.append(msg(ana, "a1", "is it open"), SUPERSEDE);
            clock.accept(T0 + 200);
            ClaimedBatch marked = claimAllOf(s, 1_000).get(0);
            assertThat(marked.batch().handover()).isTrue();
            assertThat(marked.supersedable()).as("nothing takes the human's batch back").isFalse();
            s.append(msg(ana, "a2", "hello?"), SUPERSEDE);
            s.endHandover(ana);
            clock.accept(T0 + 1_300); // its lease ran out: the same batch again, after the handover
            ClaimedBatch again = claimAllOf(s).stream().filter(b -> b.batch().batchId().equals(marked.batch().batchId()))
                    .findFirst().orElseThrow();
            assertThat(again.batch().messages()).extracting(Message::id).containsExactly("a1");
            assertThat(again.batch().handover()).as("still the human's").isTrue();
        });
    }

    @Test
    void aCommitRefusedBeforeTheBotSaidLaterLetsTheNextBatchOutWithoutWaitingForTheTimeout() {
        onManualClock((s, clock) -> {
            ConversationRef ana = conv("ana");
            ClaimedBatch first = claimedThenHandedOver(s, clock, ana, false);
            s.endHandover(ana);
            assertThat(s.awaitCommit(first.lease(), MINUTE, false)).isEqualTo(LeaseOutcome.OK);
            s.append(msg(ana, "a2", "hello?"), SUPERSEDE);
            clock.accept(T0 + 500);
            List<ClaimedBatch> got = claimAllOf(s);
            got = got.isEmpty() ? claimAllOf(s) : got;
            assertThat(got).as("not a minute later").singleElement()
                    .satisfies(b -> assertThat(b.batch().messages()).extracting(Message::id).containsExactly("a2"));
        });
    }

    @Test
    void aBatchAwaitingItsCommitThatAHumanRefusedIsFinishedAndTheNextOneGoesOut() {
        onManualClock((s, clock) -> {
            ConversationRef ana = conv("ana");
            claimedThenHandedOver(s, clock, ana, true);
            s.append(msg(ana, "a2", "hello?"), SUPERSEDE);
            clock.accept(T0 + 500);
            ClaimedBatch next = claimAllOf(s).get(0);
            assertThat(next.batch().messages()).extracting(Message::id).containsExactly("a2");
            assertThat(next.batch().handover()).isTrue();
        });
    }

    @Test
    void theStartAndEndAreAnnouncedInOrderWithTheConversationsMessages() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("ana");
            HandoverControl control = control(s);
            clock.accept(T0);
            s.append(msg(c, "m1", "my order is late"), FAST);
            control.start(c, MINUTE, HandoverBy.BUSINESS);
            control.start(c, MINUTE, HandoverBy.BUSINESS); // a refresh: no second event
            ClaimedBatch first = claimAllOf(s).get(0);
            assertThat(first.batch().reason()).isEqualTo(ReleaseReason.HANDOVER);
            assertThat(types(first)).containsExactly("text", "handover");
            Message started = first.batch().messages().get(1);
            assertThat(started.metadata()).containsEntry("handover", "started").containsEntry("by", "business");
            assertThat(first.batch().handover()).isTrue();
            s.ack(first.lease());

            s.append(msg(c, "m2", "hello?"), FAST);
            clock.accept(T0 + MINUTE);
            assertThat(control.announceExpired()).isEqualTo(1);
            assertThat(control.announceExpired()).as("announced once").isZero();
            ClaimedBatch second = claimAllOf(s).get(0);
            assertThat(types(second)).containsExactly("text", "handover");
            assertThat(second.batch().messages().get(1).metadata()).containsEntry("handover", "ended")
                    .containsEntry("by", "expiry").containsEntry("startedBy", "business");
            assertThat(second.batch().handover()).isFalse();
            assertThat(second.batch().text()).as("an event adds no text").isEqualTo("hello?");
            List<String> lines = s.recentChanges(10);
            assertThat(lines).as("one line per change, newest first").hasSize(2);
            assertThat(lines.get(0)).contains("\"handover\":\"ended\"").contains("\"by\":\"expiry\"");
            assertThat(lines.get(1)).contains("\"handover\":\"started\"").contains(c.key());
        });
    }

    /** A queue whose store goes away at the first append of each event (between a change's state and its event). */
    private io.rapidfire.core.BatchQueue failingFirstAppendOfEachEvent() {
        java.util.Set<String> tried = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return (io.rapidfire.core.BatchQueue) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{io.rapidfire.core.BatchQueue.class}, (proxy, m, args) -> {
                    if (m.getName().equals("append") && tried.add(((Message) args[0]).id())) {
                        throw new io.rapidfire.core.StoreUnavailableException("the store went away", null);
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aChangeWhoseEventTheStoreDidNotTakeIsAnnouncedWhenTheCallerTriesAgain() {
        ConversationRef c = conv("ana");
        HandoverControl control = new HandoverControl(failingFirstAppendOfEachEvent(), store, x -> FAST);
        assertThatThrownBy(() -> control.start(c, MINUTE, HandoverBy.OPERATOR))
                .isInstanceOf(io.rapidfire.core.StoreUnavailableException.class);
        assertThat(store.handover(c)).as("the state was written").isNotNull();
        control.start(c, MINUTE, HandoverBy.OPERATOR); // the operator tries again: a refresh, announced now
        ClaimedBatch started = awaitBatch(LONG_LEASE);
        assertThat(started.batch().messages().get(0).metadata()).containsEntry("handover", "started");
        store.ack(started.lease());
        assertThatThrownBy(() -> control.end(c, HandoverBy.OPERATOR))
                .isInstanceOf(io.rapidfire.core.StoreUnavailableException.class);
        assertThat(store.handover(c)).as("not ended without its event").isNotNull();
        control.end(c, HandoverBy.OPERATOR);
        assertThat(store.handover(c)).isNull();
        assertThat(awaitBatch(LONG_LEASE).batch().messages().get(0).metadata()).containsEntry("handover", "ended");
    }

    @Test
    void aStartWhoseCallerNeverAskedAgainIsAnnouncedBeforeItsEnd() {
        ConversationRef c = conv("ana");
        HandoverControl control = new HandoverControl(failingFirstAppendOfEachEvent(), store, x -> FAST);
        assertThatThrownBy(() -> control.start(c, MINUTE, HandoverBy.OPERATOR))
                .isInstanceOf(io.rapidfire.core.StoreUnavailableException.class);
        // The operator moved on after the 503; the handover is in force all the same. Its end brings both events.
        assertThatThrownBy(() -> control.end(c, HandoverBy.OPERATOR))
                .isInstanceOf(io.rapidfire.core.StoreUnavailableException.class);
        control.end(c, HandoverBy.OPERATOR);
        List<String> events = new java.util.ArrayList<>();
        while (events.size() < 2) {
            ClaimedBatch b = awaitBatch(LONG_LEASE);
            b.batch().messages().forEach(m -> events.add((String) m.metadata().get("handover")));
            store.ack(b.lease());
        }
        assertThat(events).containsExactly("started", "ended");
        assertThat(claimAll(LONG_LEASE)).as("each once").isEmpty();
    }

    @Test
    void anEndAnnouncedTwiceIsOneEvent() {
        onManualClock((s, clock) -> {
            ConversationRef c = conv("ana");
            HandoverControl control = control(s);
            clock.accept(T0);
            Handover h = control.start(c, MINUTE, HandoverBy.OPERATOR);
            s.ack(claimAllOf(s).get(0).lease());
            clock.accept(T0 + MINUTE);
            // A worker that announced the end and died before forgetting it: the next one announces it again.
            s.append(new Message("handover-ended-" + h.sinceMs(), c, MessageType.HANDOVER, "", null, 0, List.of(),
                    java.util.Map.of("handover", "ended")), FAST, ReleaseReason.HANDOVER);
            control.announceExpired();
            List<ClaimedBatch> got = claimAllOf(s);
            assertThat(got).hasSize(1);
            assertThat(types(got.get(0))).containsExactly("handover");
        });
    }

    @Test
    void anOperatorsEndIsAnnouncedAtOnceAndNothingIsAnnouncedForNoHandover() {
        ConversationRef c = conv("ana");
        HandoverControl control = control(store);
        assertThat(control.end(c, HandoverBy.OPERATOR)).isNull();
        assertThat(claimAll(LONG_LEASE)).as("no handover, no event").isEmpty();
        control.start(c, Handover.FOREVER, HandoverBy.OPERATOR);
        store.ack(awaitBatch(LONG_LEASE).lease());
        control.end(c, HandoverBy.OPERATOR);
        ClaimedBatch ended = awaitBatch(LONG_LEASE);
        assertThat(ended.batch().messages().get(0).metadata()).containsEntry("handover", "ended")
                .containsEntry("by", "operator");
        assertThat(ended.batch().onlyEvents()).isTrue();
    }
}
