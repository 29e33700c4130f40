package io.rapidfire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rapidfire.core.Batch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Edits;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseRules;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.core.Tunables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code release-rules.json}: the release rules as data, run against Java, Lua and every store.
 * {@link #events()} are the messages and presence events in time order (at the same time, messages first).
 */
public record ReleaseRuleCase(String name, Policy policy, List<Msg> messages, List<Event> events,
                              ReleaseReason release, long deadline, int taken, int delivered, ReleaseReason reason,
                              String text) {

    /**
     * A message of the case, id "m&lt;index&gt;"; {@code edits} or {@code deletes} (an id, e.g. "m0") make it an edit
     * or a deletion of that message (core/Edits). {@code taken} counts what a claim cuts off the open messages,
     * {@code delivered} what the batch holds after edits and deletions are folded in.
     */
    /**
     * @param type  the message's type ("image", "voice"...), null for text
     * @param album the album it belongs to (metadata albumId), or null
     */
    public record Msg(int index, long at, String text, String edits, String deletes, String type, String album) {
        public int bytes() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }

        public Message message(ConversationRef conv) {
            String id = "m" + index;
            if (edits != null || deletes != null) {
                return new Message(id, conv, edits != null ? MessageType.EDIT : MessageType.DELETION, text, null,
                        0, List.of(), Edits.naming(edits != null ? edits : deletes, Map.of()));
            }
            if (type != null || album != null) {
                return new Message(id, conv, type == null ? MessageType.TEXT : MessageType.fromWire(type), text, null, 0,
                        List.of(), album == null ? Map.of() : Map.of(ReleaseRules.ALBUM, album));
            }
            return Message.text(conv, id, text, null);
        }
    }

    /** The combined text a batch of these messages has, built as a store builds it (edits folded in). */
    public static String batchText(List<Message> taken, String joiner) {
        List<StoredMessage> arrived = new ArrayList<>();
        for (Message m : taken) {
            arrived.add(new StoredMessage(m, arrived.size()));
        }
        return Batch.of("case", taken.get(0).conversation(), 1, arrived, ReleaseReason.QUIET, 1, joiner).text();
    }

    /** A message (msg set) or a presence event (typing true: composing, false: stopped). */
    public record Event(long at, Msg msg, boolean typing) {
        public boolean isMessage() {
            return msg != null;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Store times are epoch ms: a case's times are offsets from this (0 is "no time yet" in the pace). */
    public static final long T = 1_800_000_000_000L;

    /** MEDIA when this case's last message releases its batch as media, for the rules' "asked at append". */
    public ReleaseReason mediaAt(Event e) {
        return release == ReleaseReason.MEDIA && e.msg() == last() ? ReleaseReason.MEDIA : null;
    }

    /**
     * The policy a store keeps after the case's last message: each message appended under {@link ReleaseRules#forAppend}
     * (the media grace, an album's room), kept as {@link ReleaseRules#keepAlbumRoom} says; the deadline and the reason
     * are computed under it.
     */
    public Policy policyAtLast(ConversationRef conv) {
        Policy stored = null;
        int open = 0;
        for (Msg m : messages) {
            ReleaseReason asked = release == ReleaseReason.MEDIA && m == last() ? ReleaseReason.MEDIA : null;
            stored = ReleaseRules.keepAlbumRoom(stored, ReleaseRules.forAppend(m.message(conv), policy, asked), open++);
        }
        return stored;
    }

    public Msg last() {
        return messages.get(messages.size() - 1);
    }

    /** Time of the last event: the deadline is computed then. */
    public long lastAt() {
        return events.get(events.size() - 1).at();
    }

    public static List<ReleaseRuleCase> all() {
        try (InputStream in = ReleaseRuleCase.class.getResourceAsStream("/release-rules.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<ReleaseRuleCase> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                List<Msg> msgs = new ArrayList<>();
                List<Event> events = new ArrayList<>();
                for (JsonNode m : c.get("messages")) {
                    Msg msg = new Msg(msgs.size(), m.get("at").asLong(), m.get("text").asText(),
                            m.path("edits").asText(null), m.path("deletes").asText(null), m.path("type").asText(null),
                            m.path("album").asText(null));
                    msgs.add(msg);
                    events.add(new Event(msg.at(), msg, false));
                }
                for (JsonNode p : c.path("presence")) {
                    events.add(new Event(p.get("at").asLong(), null, p.get("typing").asBoolean()));
                }
                events.sort(Comparator.comparingLong(Event::at).thenComparing(e -> !e.isMessage()));
                JsonNode e = c.get("expect");
                ReleaseReason release = c.get("release").isNull() ? null : ReleaseReason.fromWire(c.get("release").asText());
                out.add(new ReleaseRuleCase(c.get("name").asText(), resolved(c), List.copyOf(msgs),
                        List.copyOf(events), release, e.get("deadline").asLong(), e.get("taken").asInt(),
                        e.path("delivered").asInt(e.get("taken").asInt()),
                        ReleaseReason.fromWire(e.get("reason").asText()), e.get("text").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read release-rules.json", e);
        }
    }

    /**
     * The policy the case's conversation is under: its "policy" as the default, with the case's "tenant" and
     * "conversation" specs (the runtime policy syntax) on top, resolved as every process resolves them
     * (PolicySource.merge, then Policies.forConversation), so the rows for each level run on Java, Lua and every store.
     */
    private static Policy resolved(JsonNode c) {
        Policy base = policy(c.get("policy"));
        java.util.Map<String, String> overrides = new java.util.HashMap<>();
        io.rapidfire.core.ConversationRef ref = new io.rapidfire.core.ConversationRef("acme", "whatsapp", "+79001234567");
        if (c.hasNonNull("tenant")) {
            overrides.put(ref.tenant(), c.get("tenant").asText());
        }
        if (c.hasNonNull("conversation")) {
            overrides.put(io.rapidfire.core.ConversationPolicies.field(ref), c.get("conversation").asText());
        }
        return io.rapidfire.core.PolicySource.merge(io.rapidfire.core.Policies.of(base), overrides, 0)
                .forConversation(ref);
    }

    /** The five classic fields are required; the typing, adaptive, keyword and first-message ones default. */
    private static Policy policy(JsonNode p) {
        List<String> keywords = new ArrayList<>();
        p.path("flushKeywords").forEach(k -> keywords.add(k.asText()));
        List<String> cancel = new ArrayList<>();
        p.path("cancelKeywords").forEach(k -> cancel.add(k.asText()));
        return new Policy(p.get("quietMs").asLong(), p.get("maxWaitMs").asLong(), p.get("maxMessages").asInt(),
                p.get("maxBytes").asInt(), p.get("joiner").asText(), p.path("typing").asBoolean(true),
                p.path("typingGraceMs").asLong(Tunables.TYPING_GRACE_MS.defaultValue()),
                p.path("typingTimeoutMs").asLong(Tunables.TYPING_TIMEOUT_MS.defaultValue()),
                p.path("adaptive").asBoolean(false),
                p.path("adaptiveFloorMs").asLong(Tunables.ADAPTIVE_FLOOR_MS.defaultValue()), keywords,
                p.path("firstMessageAtOnce").asBoolean(false), false, 0, cancel, p.path("mediaGraceMs").asLong(0));
    }
}
