package io.rapidfire.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys a script finds at run time (lua/includes/keys.lua) are the ones RedisKeys builds, and a conversation hash
 * with nothing in it reads in Java (ConversationHash) as readConv.lua reads it.
 */
@Tag("redis")
class KeyPatternsTest {
    private static final String CONV = "acme:whatsapp:79001234567";

    private static <T> T eval(String script, ScriptOutputType type, String... args) {
        RedisClient client = RedisClient.create(SharedRedis.url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().eval(script, type, new String[0], args);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theLuaKeyPatternsAreRedisKeys() {
        RedisKeys keys = new RedisKeys("rf", 16);
        for (int p : new int[]{0, 7, 15}) {
            List<Object> lua = eval(LuaScripts.read("/lua/includes/keys.lua") + """
                    local prefix, conv, id = ARGV[1], ARGV[2], ARGV[3]
                    return { prefix .. KEY_CONV .. conv, prefix .. KEY_OPEN .. conv, prefix .. KEY_FLIGHT .. conv,
                      prefix .. KEY_BATCHES, prefix .. KEY_TOMBSTONE .. id, prefix .. KEY_CLOCK,
                      string.match(prefix .. KEY_CONV .. conv, KEY_PREFIX_PATTERN), prefix .. KEY_HANDOVER .. conv,
                      prefix .. KEY_SEEN .. conv }
                    """, ScriptOutputType.MULTI, keys.partitionPrefix(p), CONV, "b1-3");
            assertThat(lua).as("partition " + p).containsExactly(keys.conversation(p, CONV), keys.open(p, CONV),
                    keys.flight(p, CONV), keys.batches(p), keys.tombstone(p, "b1-3"), keys.clock(p),
                    keys.partitionPrefix(p), keys.handover(p, CONV), keys.seen(p, CONV));
        }
    }

    @Test
    void anEmptyConversationHashReadsInJavaAsInLua() {
        List<Object> lua = eval(LuaScripts.read("/lua/includes/readConv.lua") + """
                local tg, tt, af, sp, cn = parsePace(false)
                return { tg, tt, af, sp, cn }
                """, ScriptOutputType.MULTI);
        assertThat(String.join(",", lua.stream().map(String::valueOf).toList()))
                .isEqualTo(ConversationHash.PACE_WHEN_MISSING);
        var policy = new ConversationHash(Map.of()).policy(" ");
        assertThat(policy.paceSpec()).isEqualTo(ConversationHash.PACE_WHEN_MISSING);
        assertThat(policy.quietMs()).as("pq").isZero();
        assertThat(policy.maxMessages()).as("pn").isEqualTo(1);
        assertThat(policy.maxBytes()).as("pb").isEqualTo(1);
    }
}
