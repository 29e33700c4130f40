package io.rapidfire.core;

import io.rapidfire.testing.ReleaseRuleCase;
import io.rapidfire.testing.ReleaseRuleCase.Event;
import io.rapidfire.testing.ReleaseRuleCase.Msg;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.rapidfire.testing.ReleaseRuleCase.T;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of release rules ({@code release-rules.json}) against the Java rules, with no clock at all. The redis
 * module runs the same table against the Lua rules the scripts include (ReleaseRulesLuaTableTest), and every store
 * runs it in {@code BatchQueueContract}.
 */
class ReleaseRulesTableTest {
    /** Replays the case's events into the Java rules the way a store does: asked at append, pace, deadline. */
    @Tag("fast")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rapidfire.testing.ReleaseRuleCase#all")
    void theJavaRulesGiveTheTablesDeadlineCutReasonAndText(ReleaseRuleCase c) {
        ConversationRef conv = new ConversationRef("t", "whatsapp", "79001234567");
        Policy p = c.policyAtLast(conv);
        Pace pace = new Pace();
        ReleaseReason forced = null;
        List<Message> texts = new ArrayList<>();
        for (Event e : c.events()) {
            if (e.isMessage()) {
                Message m = e.msg().message(conv);
                ReleaseReason asked = ReleaseRules.askedAtAppend(c.mediaAt(e), m, c.policy(), pace.isNew());
                pace.onMessage(T + e.at(), ReleaseRules.forAppend(m, c.policy(), asked));
                forced = forced != null ? forced : asked;
                texts.add(m);
            } else {
                pace.onPresence(e.typing(), T + e.at(), p);
            }
        }
        if (c.release() == ReleaseReason.FLUSH) {
            forced = ReleaseReason.FLUSH;
        }
        List<Msg> all = c.messages();
        long bytes = all.stream().mapToLong(Msg::bytes).sum();
        assertThat(ReleaseRules.deadline(all.size(), bytes, T + all.get(0).at(), T + c.last().at(), forced, p, pace,
                T + c.lastAt()) - T).as("deadline").isEqualTo(c.deadline());

        ReleaseRules.Cut cut = ReleaseRules.cut(all.stream().mapToInt(Msg::bytes).toArray(), p);
        assertThat(cut.taken()).as("messages taken").isEqualTo(c.taken());
        List<Msg> taken = all.subList(0, cut.taken());
        assertThat(ReleaseRules.reason(cut.taken(), cut.bytes(), cut.byBytes(), T + taken.get(0).at(),
                T + taken.get(taken.size() - 1).at(), forced, p, pace)).as("reason").isEqualTo(c.reason());
        assertThat(ReleaseRuleCase.batchText(texts.subList(0, cut.taken()), p.joiner())).as("text").isEqualTo(c.text());
    }
}
