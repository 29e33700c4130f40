package io.rapidfire.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One answer per thought's two rules as data ({@code one-answer-rules.json}): when a message supersedes the batch
 * with the bot, and from when a bot's commit may succeed. The same rows against the Java half
 * ({@link ReleaseRules#supersedes}, {@link ReleaseRules#commitReadyAt}) and the Lua half the scripts include
 * ({@code rules.lua}, through EVAL on a real Redis), so they cannot drift.
 */
class OneAnswerRulesTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_800_000_000_000L;
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

    private static JsonNode table() {
        try (InputStream in = OneAnswerRulesTableTest.class.getResourceAsStream("/one-answer-rules.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read one-answer-rules.json", e);
        }
    }

    static List<Arguments> supersedeCases() {
        List<Arguments> out = new ArrayList<>();
        table().get("supersede").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
        return out;
    }

    static List<Arguments> commitCases() {
        List<Arguments> out = new ArrayList<>();
        table().get("commit").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
        return out;
    }

    private static Policy supersedePolicy(JsonNode p) {
        return new Policy(5_000, p.get("maxWaitMs").asLong(), p.get("maxMessages").asInt(), p.get("maxBytes").asInt(),
                " ").withSupersede(TenantPolicies.onNewMessage(p.get("onNewMessage").asText(), "onNewMessage"));
    }

    private static Policy commitPolicy(JsonNode p) {
        return new Policy(5_000, p.path("maxWaitMs").asLong(30_000), 10, 16_384, " ").withTyping(p.get("typing").asBoolean(),
                p.get("typingGraceMs").asLong(), p.get("typingTimeoutMs").asLong())
                .withCommitNotBeforeMs(p.get("commitNotBeforeMs").asLong())
                .withSupersede(TenantPolicies.onNewMessage(p.path("onNewMessage").asText("supersede"), "onNewMessage"));
    }

    @Tag("fast")
    @ParameterizedTest(name = "{0}")
    @MethodSource("supersedeCases")
    void theJavaRuleSaysWhenAMessageSupersedes(String name, JsonNode c) {
        Policy p = supersedePolicy(c.get("policy"));
        JsonNode f = c.get("flight");
        JsonNode o = c.get("open");
        assertThat(ReleaseRules.supersedes(p, c.get("committed").asBoolean(), f.get("count").asLong(),
                f.get("bytes").asLong(), T + f.get("first").asLong(), o.get("count").asLong(), o.get("bytes").asLong(),
                T + c.get("now").asLong())).isEqualTo(c.get("expect").asBoolean());
    }

    @Tag("redis")
    @ParameterizedTest(name = "{0}")
    @MethodSource("supersedeCases")
    void theLuaRuleSaysWhenAMessageSupersedes(String name, JsonNode c) throws Exception {
        Policy p = supersedePolicy(c.get("policy"));
        ObjectNode t = base(p).put("kind", "supersede").put("committed", c.get("committed").asBoolean())
                .put("fn", c.get("flight").get("count").asLong()).put("fb", c.get("flight").get("bytes").asLong())
                .put("ffirst", T + c.get("flight").get("first").asLong()).put("on", c.get("open").get("count").asLong())
                .put("ob", c.get("open").get("bytes").asLong()).put("now", T + c.get("now").asLong());
        Object r = redis.sync().eval(harness, ScriptOutputType.INTEGER, new String[0], JSON.writeValueAsString(t));
        assertThat(r).isEqualTo(c.get("expect").asBoolean() ? 1L : 0L);
    }

    @Tag("fast")
    @ParameterizedTest(name = "{0}")
    @MethodSource("commitCases")
    void theJavaRuleSaysFromWhenACommitMaySucceed(String name, JsonNode c) {
        Policy p = commitPolicy(c.get("policy"));
        Pace pace = new Pace();
        for (JsonNode e : events(c)) {
            if (e.get("message").asBoolean()) {
                pace.onMessage(T + e.get("at").asLong(), p);
            } else {
                pace.onPresence(e.get("typing").asBoolean(), T + e.get("at").asLong(), p);
            }
        }
        assertThat(ReleaseRules.commitReadyAt(p, pace, T + c.path("batchFirst").asLong(0)) - T)
                .isEqualTo(c.get("expect").get("readyAt").asLong());
    }

    @Tag("redis")
    @ParameterizedTest(name = "{0}")
    @MethodSource("commitCases")
    void theLuaRuleSaysFromWhenACommitMaySucceed(String name, JsonNode c) throws Exception {
        Policy p = commitPolicy(c.get("policy"));
        ObjectNode t = base(p).put("kind", "commit").put("batchFirst", T + c.path("batchFirst").asLong(0));
        var events = t.putArray("events");
        events(c).forEach(e -> events.addObject().put("message", e.get("message").asBoolean())
                .put("typing", e.path("typing").asBoolean()).put("at", T + e.get("at").asLong()));
        Object r = redis.sync().eval(harness, ScriptOutputType.INTEGER, new String[0], JSON.writeValueAsString(t));
        assertThat((Long) r - T).isEqualTo(c.get("expect").get("readyAt").asLong());
    }

    /** The last message and the presence events in time order (at the same time, the message first). */
    private static List<JsonNode> events(JsonNode c) {
        List<JsonNode> out = new ArrayList<>();
        out.add(JSON.createObjectNode().put("message", true).put("at", c.get("lastMessage").asLong()));
        c.get("presence").forEach(e -> out.add(((ObjectNode) e.deepCopy()).put("message", false)));
        out.sort(java.util.Comparator.comparingLong((JsonNode e) -> e.get("at").asLong())
                .thenComparing(e -> !e.get("message").asBoolean()));
        return out;
    }

    private static ObjectNode base(Policy p) {
        return JSON.createObjectNode().put("px", p.paceSpec()).put("pw", p.maxWaitMs()).put("pn", p.maxMessages())
                .put("pb", p.maxBytes()).put("on", 0).put("ob", 0).put("ol", 0);
    }
}
