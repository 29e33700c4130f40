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
import io.rapidfire.core.SharedState.LinkOutcome;
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

/** State shared by processes ({@link io.rapidfire.core.SharedState}): one-time marks and runtime policies. */
public abstract class SharedStateContract extends StoreContractSupport {

    @Test
    void markedTokensAreSeenOnceAndCanBeCheckedWithoutMarking() {
        assertThat(store.isMarked("probe-1")).isFalse();
        assertThat(store.isMarked("probe-1")).as("checking does not mark").isFalse();
        assertThat(store.markOnce("probe-1", 60_000)).isTrue();
        assertThat(store.markOnce("probe-1", 60_000)).isFalse();
        assertThat(store.isMarked("probe-1")).isTrue();
    }

    @Test
    void aLidLinkedToAPhoneIsFoundPerTenantAndSaysWhenThePairIsNew() {
        assertThat(store.linked("acme", "whatsapp/lid:1234567890")).isNull();
        assertThat(store.link("acme", "whatsapp/lid:1234567890", "+79001234567", 60_000)).isEqualTo(LinkOutcome.NEW);
        assertThat(store.link("acme", "whatsapp/lid:1234567890", "+79001234567", 60_000)).isEqualTo(LinkOutcome.KNOWN);
        assertThat(store.linked("acme", "whatsapp/lid:1234567890")).isEqualTo("+79001234567");
        assertThat(store.linked("other-tenant", "whatsapp/lid:1234567890")).as("per tenant").isNull();
    }

    @Test
    void aLiveLinkIsNeverTakenOverByAnotherPhoneUntilItIsUnlinked() {
        assertThat(store.link("acme", "whatsapp/lid:42424242", "+79001234567", 60_000)).isEqualTo(LinkOutcome.NEW);
        assertThat(store.link("acme", "whatsapp/lid:42424242", "+79007654321", 60_000)).isEqualTo(LinkOutcome.TAKEN);
        assertThat(store.linked("acme", "whatsapp/lid:42424242")).as("the first pair stays").isEqualTo("+79001234567");
        assertThat(store.unlink("acme", "whatsapp/lid:42424242")).isTrue();
        assertThat(store.unlink("acme", "whatsapp/lid:42424242")).isFalse();
        assertThat(store.link("acme", "whatsapp/lid:42424242", "+79007654321", 60_000)).isEqualTo(LinkOutcome.NEW);
        assertThat(store.linked("acme", "whatsapp/lid:42424242")).isEqualTo("+79007654321");
    }

    @Test
    void aLinkIsForgottenWhenItExpires() {
        assertThat(store.link("acme", "whatsapp/lid:555", "+79001234567", 300)).isEqualTo(LinkOutcome.NEW);
        assertThat(store.linked("acme", "whatsapp/lid:555")).isEqualTo("+79001234567");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> store.linked("acme", "whatsapp/lid:555") == null);
        assertThat(store.link("acme", "whatsapp/lid:555", "+79007654321", 60_000)).as("free again once expired")
                .isEqualTo(LinkOutcome.NEW);
    }

    @Test
    void runtimePoliciesAreStoredPerTenant() {
        store.setRuntimePolicy("*", "quietMs:0");
        store.setRuntimePolicy("acme", "maxMessages:3");
        assertThat(store.runtimePolicies()).containsEntry("*", "quietMs:0").containsEntry("acme", "maxMessages:3");
        assertThat(store.clearRuntimePolicy("acme")).isTrue();
        assertThat(store.clearRuntimePolicy("acme")).isFalse();
        assertThat(store.runtimePolicies()).containsOnlyKeys("*");
    }

}
