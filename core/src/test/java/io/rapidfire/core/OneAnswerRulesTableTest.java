package io.rapidfire.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.rapidfire.core.OneAnswerRuleCases.T;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One answer per thought's two rules as data ({@code one-answer-rules.json}): when a message supersedes the batch
 * with the bot, and from when a bot's commit may succeed, against the Java half ({@link ReleaseRules#supersedes},
 * {@link ReleaseRules#commitReadyAt}). The redis module runs the same rows against the Lua half the scripts include
 * (OneAnswerRulesLuaTableTest), so the two cannot drift.
 */
class OneAnswerRulesTableTest {
    @Tag("fast")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rapidfire.core.OneAnswerRuleCases#supersedeCases")
    void theJavaRuleSaysWhenAMessageSupersedes(String name, JsonNode c) {
        Policy p = OneAnswerRuleCases.supersedePolicy(c.get("policy"));
        JsonNode f = c.get("flight");
        JsonNode o = c.get("open");
        assertThat(ReleaseRules.supersedes(p, c.get("committed").asBoolean(), f.get("count").asLong(),
                f.get("bytes").asLong(), T + f.get("first").asLong(), o.get("count").asLong(), o.get("bytes").asLong(),
                T + c.get("now").asLong())).isEqualTo(c.get("expect").asBoolean());
    }

    @Tag("fast")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rapidfire.core.OneAnswerRuleCases#commitCases")
    void theJavaRuleSaysFromWhenACommitMaySucceed(String name, JsonNode c) {
        Policy p = OneAnswerRuleCases.commitPolicy(c.get("policy"));
        Pace pace = new Pace();
        for (JsonNode e : OneAnswerRuleCases.events(c)) {
            if (e.get("message").asBoolean()) {
                pace.onMessage(T + e.get("at").asLong(), p);
            } else {
                pace.onPresence(e.get("typing").asBoolean(), T + e.get("at").asLong(), p);
            }
        }
        assertThat(ReleaseRules.commitReadyAt(p, pace, T + c.path("batchFirst").asLong(0)) - T)
                .isEqualTo(c.get("expect").get("readyAt").asLong());
    }
}
