package io.rapidfire.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code one-answer-rules.json} and how each becomes a policy and events: read by the Java half here
 * ({@link OneAnswerRulesTableTest}) and the Lua half in the redis module (OneAnswerRulesLuaTableTest).
 */
final class OneAnswerRuleCases {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Store times are epoch ms: a row's times are offsets from this. */
    static final long T = 1_800_000_000_000L;

    private OneAnswerRuleCases() {
    }

    static JsonNode table() {
        try (InputStream in = OneAnswerRuleCases.class.getResourceAsStream("/one-answer-rules.json")) {
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

    static Policy supersedePolicy(JsonNode p) {
        return new Policy(5_000, p.get("maxWaitMs").asLong(), p.get("maxMessages").asInt(), p.get("maxBytes").asInt(),
                " ").withSupersede(TenantPolicies.onNewMessage(p.get("onNewMessage").asText(), "onNewMessage"));
    }

    static Policy commitPolicy(JsonNode p) {
        return new Policy(5_000, p.path("maxWaitMs").asLong(30_000), 10, 16_384, " ").withTyping(p.get("typing").asBoolean(),
                p.get("typingGraceMs").asLong(), p.get("typingTimeoutMs").asLong())
                .withCommitNotBeforeMs(p.get("commitNotBeforeMs").asLong())
                .withSupersede(TenantPolicies.onNewMessage(p.path("onNewMessage").asText("supersede"), "onNewMessage"));
    }

    /** The last message and the presence events in time order (at the same time, the message first). */
    static List<JsonNode> events(JsonNode c) {
        List<JsonNode> out = new ArrayList<>();
        out.add(JSON.createObjectNode().put("message", true).put("at", c.get("lastMessage").asLong()));
        c.get("presence").forEach(e -> out.add(((ObjectNode) e.deepCopy()).put("message", false)));
        out.sort(java.util.Comparator.comparingLong((JsonNode e) -> e.get("at").asLong())
                .thenComparing(e -> !e.get("message").asBoolean()));
        return out;
    }
}
