package io.rapidfire.core;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.testing.ReleaseRuleCase;
import io.rapidfire.testing.ReleaseRuleCase.Msg;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of release rules ({@code release-rules.json}) against both halves of the rules, with no clock at
 * all: the Java rules directly, and the Lua rules the scripts include ({@code lua/includes/rules.lua}) through
 * EVAL on a real Redis. The stores run the same table in {@code BatchQueueContract}.
 */
class ReleaseRulesTableTest {
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;
    private static String harness;

    @BeforeAll
    static void connect() throws IOException {
        client = RedisClient.create(SharedRedis.url());
        redis = client.connect();
        try (InputStream in = ReleaseRules.class.getResourceAsStream("/lua/includes/rules.lua")) {
            harness = new String(in.readAllBytes(), StandardCharsets.UTF_8) + """
                    local c = { on = tonumber(ARGV[1]), ob = tonumber(ARGV[2]), of = tonumber(ARGV[3]),
                      ol = tonumber(ARGV[4]), pq = tonumber(ARGV[5]), pw = tonumber(ARGV[6]), pn = tonumber(ARGV[7]),
                      pb = tonumber(ARGV[8]), fl = ARGV[9] }
                    local sizes, times = {}, {}
                    for i = 11, #ARGV, 2 do
                      times[#times + 1] = tonumber(ARGV[i])
                      sizes[#sizes + 1] = tonumber(ARGV[i + 1])
                    end
                    local n, bytes, cutByBytes = ruleCut(sizes, c.pn, c.pb)
                    return { ruleDeadline(c, tonumber(ARGV[10])), n,
                      ruleReason(n, bytes, cutByBytes, times[1], times[n], c) }
                    """;
        }
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        client.shutdown();
    }

    static List<ReleaseRuleCase> cases() {
        return ReleaseRuleCase.all();
    }

    @Tag("fast")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theJavaRulesGiveTheTablesDeadlineCutReasonAndText(ReleaseRuleCase c) {
        List<Msg> all = c.messages();
        long bytes = all.stream().mapToLong(Msg::bytes).sum();
        long now = c.last().at();
        assertThat(ReleaseRules.deadline(all.size(), bytes, all.get(0).at(), now, c.release(), c.policy(), now))
                .as("deadline").isEqualTo(c.deadline());

        ReleaseRules.Cut cut = ReleaseRules.cut(all.stream().mapToInt(Msg::bytes).toArray(), c.policy());
        assertThat(cut.taken()).as("messages taken").isEqualTo(c.taken());
        List<Msg> taken = all.subList(0, cut.taken());
        assertThat(ReleaseRules.reason(cut.taken(), cut.bytes(), cut.byBytes(), taken.get(0).at(),
                taken.get(taken.size() - 1).at(), c.release(), c.policy())).as("reason").isEqualTo(c.reason());
        List<Message> texts = new ArrayList<>();
        ConversationRef conv = new ConversationRef("t", "whatsapp", "79001234567");
        for (Msg m : taken) {
            texts.add(Message.text(conv, null, m.text(), null));
        }
        assertThat(ReleaseRules.join(texts, c.policy().joiner())).as("text").isEqualTo(c.text());
    }

    @Tag("redis")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theLuaRulesTheScriptsRunGiveTheTablesDeadlineCutAndReason(ReleaseRuleCase c) {
        List<String> args = new ArrayList<>();
        Policy p = c.policy();
        long bytes = c.messages().stream().mapToLong(Msg::bytes).sum();
        args.addAll(List.of(Integer.toString(c.messages().size()), Long.toString(bytes),
                Long.toString(c.messages().get(0).at()), Long.toString(c.last().at()), Long.toString(p.quietMs()),
                Long.toString(p.maxWaitMs()), Integer.toString(p.maxMessages()), Integer.toString(p.maxBytes()),
                c.release() == null ? "" : c.release().wire(), Long.toString(c.last().at())));
        for (Msg m : c.messages()) {
            args.add(Long.toString(m.at()));
            args.add(Integer.toString(m.bytes()));
        }
        List<Object> r = redis.sync().eval(harness, ScriptOutputType.MULTI, new String[0], args.toArray(String[]::new));
        assertThat(r.get(0)).as("deadline").isEqualTo(c.deadline());
        assertThat(r.get(1)).as("messages taken").isEqualTo((long) c.taken());
        assertThat(r.get(2)).as("reason").isEqualTo(c.reason().wire());
    }
}
