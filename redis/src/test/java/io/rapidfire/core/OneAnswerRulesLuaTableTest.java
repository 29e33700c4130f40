package io.rapidfire.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static io.rapidfire.core.OneAnswerRuleCases.JSON;
import static io.rapidfire.core.OneAnswerRuleCases.T;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rows of {@code one-answer-rules.json} (core's test-jar) against the Lua half of the rules the scripts include
 * ({@code rules.lua}), through EVAL on a real Redis; core's OneAnswerRulesTableTest runs them against the Java half.
 */
class OneAnswerRulesLuaTableTest {
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;
    private static String harness;

    @BeforeAll
    static void connect() throws IOException {
        client = RedisClient.create(SharedRedis.url());
        redis = client.connect();
        harness = resource("/lua/includes/readConv.lua") + resource("/lua/includes/rules.lua") + """
                local t = cjson.decode(ARGV[1])
                local c = { on = t.on, ob = t.ob, of = 0, ol = t.ol, pq = 5000, pw = t.pw, pn = t.pn, pb = t.pb,
                  fl = '', yp = 0, yc = 0, ys = 0, gm = 0, gd = 0 }
                c.tg, c.tt, c.af, c.sp, c.cn = parsePace(t.px)
                if t.kind == 'supersede' then
                  return ruleSupersedes(c, t.committed, t.fn, t.fb, t.ffirst, t.now) and 1 or 0
                end
                c.ol = 0
                for _, e in ipairs(t.events) do
                  if e.message then
                    paceOnMessage(c, e.at)
                    c.ol = e.at
                  else
                    paceOnPresence(c, e.typing, e.at)
                  end
                end
                return ruleCommitReadyAt(c, t.batchFirst)
                """;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReleaseRules.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
        }
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        client.shutdown();
    }

    @Tag("redis")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rapidfire.core.OneAnswerRuleCases#supersedeCases")
    void theLuaRuleSaysWhenAMessageSupersedes(String name, JsonNode c) throws Exception {
        Policy p = OneAnswerRuleCases.supersedePolicy(c.get("policy"));
        ObjectNode t = base(p).put("kind", "supersede").put("committed", c.get("committed").asBoolean())
                .put("fn", c.get("flight").get("count").asLong()).put("fb", c.get("flight").get("bytes").asLong())
                .put("ffirst", T + c.get("flight").get("first").asLong()).put("on", c.get("open").get("count").asLong())
                .put("ob", c.get("open").get("bytes").asLong()).put("now", T + c.get("now").asLong());
        Object r = redis.sync().eval(harness, ScriptOutputType.INTEGER, new String[0], JSON.writeValueAsString(t));
        assertThat(r).isEqualTo(c.get("expect").asBoolean() ? 1L : 0L);
    }

    @Tag("redis")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rapidfire.core.OneAnswerRuleCases#commitCases")
    void theLuaRuleSaysFromWhenACommitMaySucceed(String name, JsonNode c) throws Exception {
        Policy p = OneAnswerRuleCases.commitPolicy(c.get("policy"));
        ObjectNode t = base(p).put("kind", "commit").put("batchFirst", T + c.path("batchFirst").asLong(0));
        var events = t.putArray("events");
        OneAnswerRuleCases.events(c).forEach(e -> events.addObject().put("message", e.get("message").asBoolean())
                .put("typing", e.path("typing").asBoolean()).put("at", T + e.get("at").asLong()));
        Object r = redis.sync().eval(harness, ScriptOutputType.INTEGER, new String[0], JSON.writeValueAsString(t));
        assertThat((Long) r - T).isEqualTo(c.get("expect").get("readyAt").asLong());
    }

    private static ObjectNode base(Policy p) {
        return JSON.createObjectNode().put("px", p.paceSpec()).put("pw", p.maxWaitMs()).put("pn", p.maxMessages())
                .put("pb", p.maxBytes()).put("on", 0).put("ob", 0).put("ol", 0);
    }
}
