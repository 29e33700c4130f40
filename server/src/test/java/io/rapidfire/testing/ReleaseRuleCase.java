package io.rapidfire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One row of {@code release-rules.json}: the release rules as data, run against Java, Lua and every store. */
public record ReleaseRuleCase(String name, Policy policy, List<Msg> messages, ReleaseReason release,
                              long deadline, int taken, ReleaseReason reason, String text) {

    public record Msg(long at, String text) {
        public int bytes() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    public Msg last() {
        return messages.get(messages.size() - 1);
    }

    public static List<ReleaseRuleCase> all() {
        try (InputStream in = ReleaseRuleCase.class.getResourceAsStream("/release-rules.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<ReleaseRuleCase> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                JsonNode p = c.get("policy");
                Policy policy = new Policy(p.get("quietMs").asLong(), p.get("maxWaitMs").asLong(),
                        p.get("maxMessages").asInt(), p.get("maxBytes").asInt(), p.get("joiner").asText());
                List<Msg> msgs = new ArrayList<>();
                for (JsonNode m : c.get("messages")) {
                    msgs.add(new Msg(m.get("at").asLong(), m.get("text").asText()));
                }
                JsonNode e = c.get("expect");
                ReleaseReason release = c.get("release").isNull() ? null : ReleaseReason.fromWire(c.get("release").asText());
                out.add(new ReleaseRuleCase(c.get("name").asText(), policy, List.copyOf(msgs), release,
                        e.get("deadline").asLong(), e.get("taken").asInt(), ReleaseReason.fromWire(e.get("reason").asText()),
                        e.get("text").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read release-rules.json", e);
        }
    }
}
