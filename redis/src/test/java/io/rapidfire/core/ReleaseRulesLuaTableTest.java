package io.rapidfire.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.testing.ReleaseRuleCase;
import io.rapidfire.testing.ReleaseRuleCase.Event;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.rapidfire.testing.ReleaseRuleCase.T;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of release rules ({@code release-rules.json}, core's test-jar) against the Lua rules the scripts include
 * ({@code lua/includes/rules.lua}), through EVAL on a real Redis; core's ReleaseRulesTableTest runs it against Java.
 */
class ReleaseRulesLuaTableTest {
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;
    private static String harness;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void connect() throws IOException {
        client = RedisClient.create(SharedRedis.url());
        redis = client.connect();
        try (InputStream conv = ReleaseRules.class.getResourceAsStream("/lua/includes/readConv.lua");
             InputStream in = ReleaseRules.class.getResourceAsStream("/lua/includes/rules.lua")) {
            harness = new String(conv.readAllBytes(), StandardCharsets.UTF_8) + "\n"
                    + new String(in.readAllBytes(), StandardCharsets.UTF_8) + """
                    local t = cjson.decode(ARGV[1])
                    local c = { on = 0, ob = 0, of = 0, ol = 0, pq = t.pq, pw = t.pw, pn = t.pn, pb = t.pb, fl = '',
                      yp = 0, yc = 0, ys = 0, gm = 0, gd = 0 }
                    c.tg, c.tt, c.af, c.sp, c.cn = parsePace(t.px)
                    local sizes, times = {}, {}
                    for _, e in ipairs(t.events) do
                      if e.bytes then
                        local asked = ruleAskedAtAppend(c, e.asked, t.first)
                        paceOnMessage(c, e.at)
                        c.on, c.ob, c.ol = c.on + 1, c.ob + e.bytes, e.at
                        if c.on == 1 then c.of = e.at end
                        if asked ~= '' and c.fl == '' then c.fl = asked end
                        times[#times + 1], sizes[#sizes + 1] = e.at, e.bytes
                      else
                        paceOnPresence(c, e.typing, e.at)
                      end
                    end
                    if t.flush then c.fl = 'flush' end
                    local n, bytes, cutByBytes = ruleCut(sizes, c.pn, c.pb)
                    return { ruleDeadline(c, t.now), n, ruleReason(n, bytes, cutByBytes, times[1], times[n], c) }
                    """;
        }
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        client.shutdown();
    }

    @Tag("redis")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.rapidfire.testing.ReleaseRuleCase#all")
    void theLuaRulesTheScriptsRunGiveTheTablesDeadlineCutAndReason(ReleaseRuleCase c) throws Exception {
        Policy p = c.policyAtLast(new ConversationRef("t", "whatsapp", "79001234567"));
        ObjectNode t = JSON.createObjectNode();
        t.put("pq", p.quietMs()).put("pw", p.maxWaitMs()).put("pn", p.maxMessages()).put("pb", p.maxBytes())
                .put("px", p.paceSpec()).put("first", p.firstMessageAtOnce() ? "1" : "0")
                .put("flush", c.release() == ReleaseReason.FLUSH).put("now", T + c.lastAt());
        ArrayNode events = t.putArray("events");
        ConversationRef conv = new ConversationRef("t", "whatsapp", "79001234567");
        for (Event e : c.events()) {
            ObjectNode o = events.addObject().put("at", T + e.at());
            if (e.isMessage()) {
                ReleaseReason asked = ReleaseRules.askedByMessage(c.mediaAt(e), Message.text(conv, null, e.msg().text(),
                        null), c.policy());
                o.put("bytes", e.msg().bytes()).put("asked", asked == null ? "" : asked.wire());
            } else {
                o.put("typing", e.typing());
            }
        }
        List<Object> r = redis.sync().eval(harness, ScriptOutputType.MULTI, new String[0], JSON.writeValueAsString(t));
        assertThat((Long) r.get(0) - T).as("deadline").isEqualTo(c.deadline());
        assertThat(r.get(1)).as("messages taken").isEqualTo((long) c.taken());
        assertThat(r.get(2)).as("reason").isEqualTo(c.reason().wire());
    }
}
