package io.rapidfire.core;

import io.rapidfire.store.memory.MemoryBatchStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The policies in force: a conversation's own beats its tenant's beats the default, and ends at its time. */
@Tag("fast")
class PolicySourceTest {
    private static final Policy DEFAULT = new Policy(5_000, 30_000, 10, 16_384, " ");
    private static final ConversationRef ANA = new ConversationRef("acme", "whatsapp", "+79001234567");
    private static final ConversationRef BOB = new ConversationRef("acme", "whatsapp", "+79001234568");

    @Test
    void aConversationsRuleBeatsItsTenantsWhichBeatsTheDefaultFieldByField() {
        Policies p = PolicySource.merge(Policies.of(DEFAULT), Map.of("acme", "quietMs:2000,maxMessages:5",
                ConversationPolicies.field(ANA), "quietMs:120000"), 0);
        assertThat(p.forConversation(ANA).quietMs()).isEqualTo(120_000);
        assertThat(p.forConversation(ANA).maxMessages()).as("the tenant's, where the conversation says nothing").isEqualTo(5);
        assertThat(p.forConversation(ANA).maxWaitMs()).as("the default's").isEqualTo(30_000);
        assertThat(p.forConversation(BOB).quietMs()).isEqualTo(2_000);
        assertThat(p.levelOf(ANA)).isEqualTo("conversation");
        assertThat(p.levelOf(BOB)).isEqualTo("tenant");
        assertThat(p.levelOf(new ConversationRef("beta", "whatsapp", "1"))).isEqualTo("default");
        assertThat(p.tenants()).as("a conversation is no tenant").containsOnlyKeys("acme");
    }

    @Test
    void aConversationsRuleWithAnEndStopsAtItsTimeWithoutAnyOtherChange() {
        AtomicLong now = new AtomicLong(1_000);
        try (MemoryBatchStore store = MemoryBatchStore.builder().build()) {
            store.setRuntimePolicy(ConversationPolicies.field(ANA), ConversationPolicies.encode("quietMs:0", 2_000));
            PolicySource source = new PolicySource(store, Policies.of(DEFAULT), now::get);
            assertThat(source.get().forConversation(ANA).quietMs()).isZero();
            now.set(2_000);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> source.get().forConversation(ANA).quietMs() == 5_000);
        }
    }

    @Test
    void aConversationsRuleThatDoesNotParseIsSkippedAndTheRestStays() {
        Policies p = PolicySource.merge(Policies.of(DEFAULT), Map.of(ConversationPolicies.field(ANA), "quietMs:soon",
                ConversationPolicies.field(BOB), "quietMs:100"), 0);
        assertThat(p.forConversation(ANA)).isEqualTo(DEFAULT);
        assertThat(p.forConversation(BOB).quietMs()).isEqualTo(100);
    }

    @Test
    void anEndTravelsWithTheSpecAndDecodesBack() {
        assertThat(ConversationPolicies.decode(ConversationPolicies.encode("quietMs:1,maxWaitMs:2", 77)))
                .isEqualTo(new ConversationPolicies.Override("quietMs:1,maxWaitMs:2", 77));
        assertThat(ConversationPolicies.decode("quietMs:1")).isEqualTo(new ConversationPolicies.Override("quietMs:1", -1));
    }
}
