package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input generated from the valid sample payload of every format (and presence events): each case takes one
 * payload and damages it (fields removed, nulled, retyped or emptied, huge strings, lone surrogates, invalid
 * UTF-8, deep nesting, duplicate keys, truncation, a wrong content type), posts it over HTTP and checks the
 * contract: a 200, or a 4xx that says why, never a 5xx (no store fault is injected, so not even 503), and the store
 * unchanged unless the answer was 200. Seeded: case i uses {@code new Random(seed + i)}; a failure prints the
 * seed and case to rerun with {@code -Drapidfire.fuzz.seed=S -Drapidfire.fuzz.cases=N}.
 */
@Tag("fast")
class GeneratedBadInputTest {
    private static final long SEED = Long.getLong("rapidfire.fuzz.seed", 20261130L);
    private static final int CASES = Integer.getInteger("rapidfire.fuzz.cases", 10_000);
    private static final String WA = "/webhook/whatsapp/batched";
    private static final String[][] SAMPLES = {
            {WA, "original-1.json"}, {WA, "original-bulk.json"}, {WA, "venom-text.json"}, {WA, "venom-image.json"},
            {WA, "wppconnect-text.json"}, {WA, "baileys-text.json"}, {WA, "baileys-voice.json"},
            {"/webhook/whatsapp-cloud", "cloud-text.json"}, {"/webhook/whatsapp-cloud", "cloud-image-and-status.json"},
            {"/webhook/telegram", "telegram-text.json"}, {"/webhook/telegram", "telegram-photo.json"},
            {"/webhook/telegram", "telegram-voice.json"}, {"/webhook/web", "generic-1.json"},
            {"/webhook/web", "generic-2.json"}};
    private static final String[][] INLINE = {
            {WA, "{\"event\": \"presence.update\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", \"presences\": "
                    + "{\"79001234567@s.whatsapp.net\": {\"lastKnownPresence\": \"composing\"}}}}"},
            {WA, "{\"event\": \"onpresencechanged\", \"session\": \"s\", \"id\": \"79001234567@c.us\", \"isOnline\": true, "
                    + "\"isGroup\": false, \"state\": \"composing\", \"t\": 1764493201}"},
            {WA, "{\"event\": \"messages.upsert\", \"instance\": \"i\", \"data\": {\"key\": {\"remoteJid\": "
                    + "\"79001234567@s.whatsapp.net\", \"fromMe\": false, \"id\": \"E1\"}, \"message\": {\"conversation\": "
                    + "\"hi\"}, \"messageTimestamp\": 1764493200}}"},
            {"/webhook/web", "{\"sender\": \"user-42\", \"typing\": true}"},
            {"/webhook/waha", "{\"id\": \"evt_1\", \"timestamp\": 1764493200000, \"event\": \"message\", \"session\": "
                    + "\"default\", \"payload\": {\"id\": \"false_79001234567@c.us_W1\", \"timestamp\": 1764493200, \"from\": "
                    + "\"79001234567@c.us\", \"fromMe\": false, \"body\": \"hi\", \"hasMedia\": true, \"media\": {\"url\": "
                    + "\"http://waha/f.jpg\", \"mimetype\": \"image/jpeg\"}}}"},
            {"/webhook/waha", "{\"event\": \"presence.update\", \"session\": \"default\", \"payload\": {\"id\": "
                    + "\"79001234567@c.us\", \"presences\": [{\"participant\": \"79001234567@c.us\", \"lastKnownPresence\": "
                    + "\"typing\"}]}}"},
            {"/webhook/chatwoot", "{\"event\": \"message_created\", \"id\": 7, \"content\": \"hi\", \"message_type\": "
                    + "\"incoming\", \"created_at\": 1764493200, \"conversation\": {\"id\": 42}, \"account\": {\"id\": 1}, "
                    + "\"attachments\": [{\"id\": 9, \"file_type\": \"image\", \"data_url\": \"https://cw/9.png\"}]}"},
            {"/webhook/z-api", "{\"type\": \"ReceivedCallback\", \"phone\": \"5544999999999\", \"messageId\": \"Z1\", "
                    + "\"fromMe\": false, \"momment\": 1764493200000, \"image\": {\"imageUrl\": \"https://z/1.jpg\", "
                    + "\"caption\": \"this\", \"mimeType\": \"image/jpeg\"}}"},
            {"/webhook/telegram", "{\"update_id\": 3, \"callback_query\": {\"id\": \"q1\", \"from\": {\"id\": 42}, "
                    + "\"data\": \"m\", \"message\": {\"message_id\": 1, \"chat\": {\"id\": 42, \"type\": \"private\"}, "
                    + "\"reply_markup\": {\"inline_keyboard\": [[{\"text\": \"M\", \"callback_data\": \"m\"}]]}}}}"},
            {WA, "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", \"messages\": [{\"key\": "
                    + "{\"remoteJid\": \"79001234567@s.whatsapp.net\", \"id\": \"B1\"}, \"message\": {\"ephemeralMessage\": "
                    + "{\"message\": {\"listResponseMessage\": {\"title\": \"8:00\", \"singleSelectReply\": "
                    + "{\"selectedRowId\": \"r8\"}}}}}}]}}"},
            {WA, "{\"event\": \"messages.upsert\", \"instance\": \"i\", \"data\": {\"key\": {\"remoteJid\": "
                    + "\"79001234567@s.whatsapp.net\", \"id\": \"E2\"}, \"message\": {\"protocolMessage\": {\"key\": "
                    + "{\"id\": \"E1\"}, \"type\": \"MESSAGE_EDIT\", \"editedMessage\": {\"conversation\": \"hey\"}}}}}"},
            {WA, "{\"event\": \"messages.update\", \"instance\": \"i\", \"data\": {\"keyId\": \"E1\", \"remoteJid\": "
                    + "\"79001234567@s.whatsapp.net\", \"fromMe\": false, \"status\": \"DELETED\"}}"},
            {"/webhook/waha", "{\"event\": \"message.revoked\", \"session\": \"default\", \"payload\": "
                    + "{\"revokedMessageId\": \"W1\", \"after\": {\"id\": \"W2\", \"from\": \"79001234567@c.us\"}}}"},
            {"/webhook/telegram", "{\"update_id\": 4, \"edited_message\": {\"message_id\": 1, \"chat\": {\"id\": 42, "
                    + "\"type\": \"private\"}, \"date\": 1764493200, \"edit_date\": 1764493260, \"text\": \"fixed\"}}"},
            {"/webhook/whatsapp-cloud", "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"changes\": [{\"value\": "
                    + "{\"messages\": [{\"from_user_id\": \"US.1349\", \"id\": \"wamid.R\", \"type\": \"revoke\", "
                    + "\"revoke\": {\"original_message_id\": \"wamid.Q\"}}]}}]}]}"}};

    record Sample(String path, String body) {
    }

    @Test
    void generatedBadInputGetsA200OrA4xxWithAReasonNeverA5xxAndChangesNothingUnlessAccepted() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (String[] s : SAMPLES) {
            samples.add(new Sample(s[0], IngestHarness.payload(s[1])));
        }
        for (String[] s : INLINE) {
            samples.add(new Sample(s[0], s[1]));
        }
        IngestSettings open = IngestSettings.defaults().withLimits(1_048_576, 10_000_000, 10_000_000, 10_000_000,
                10_000_000);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> failures = new ArrayList<>();
        int[] byStatus = new int[6];
        try (IngestHarness h = new IngestHarness(open, new Policy(600_000, 1_200_000, 1_000, 16_384, " "), false)) {
            for (int i = 0; i < CASES && failures.size() < 5; i++) {
                Random r = new Random(SEED + i);
                Sample s = samples.get(r.nextInt(samples.size()));
                String contentType = r.nextInt(40) == 0 ? "text/plain" : "application/json";
                byte[] body = damage(s.body(), r);
                String before = snapshot(h);
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(h.url(s.path())))
                        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int st = resp.statusCode();
                byStatus[Math.min(5, st / 100)]++;
                String problem = st >= 500 ? "a " + st
                        : st != 200 && !resp.body().contains("\"error\"") ? "a " + st + " without a reason"
                        : st != 200 && !snapshot(h).equals(before) ? "a " + st + " that changed the store" : null;
                if (problem != null) {
                    failures.add("case " + i + " (seed " + SEED + "): " + problem + " for " + s.path() + " "
                            + clip(new String(body, StandardCharsets.UTF_8)) + " -> " + clip(resp.body()));
                }
            }
        }
        System.out.println("generated bad input: seed " + SEED + ", " + CASES + " cases; answers 2xx " + byStatus[2]
                + ", 4xx " + byStatus[4] + ", 5xx " + byStatus[5]);
        assertThat(failures).as("rerun with -Drapidfire.fuzz.seed=" + SEED).isEmpty();
    }

    /** What the store holds: open messages per conversation and the counters. */
    private static String snapshot(IngestHarness h) {
        StringBuilder b = new StringBuilder(h.store.counts().toString());
        h.store.pending(100_000).forEach(p -> b.append(p.conversation().key()).append('=').append(p.messages()).append(';'));
        return b.toString();
    }

    /** One to three damages of the JSON tree, or one of the raw bytes. */
    static byte[] damage(String json, Random r) throws Exception {
        int kind = r.nextInt(10);
        if (kind < 6) {
            JsonNode root = MessageCodec.JSON.readTree(json);
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                damageTree(root, r);
            }
            return MessageCodec.JSON.writeValueAsBytes(root);
        }
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return switch (kind) {
            case 6 -> java.util.Arrays.copyOf(b, r.nextInt(b.length)); // truncated
            case 7 -> splice(b, r.nextInt(b.length), new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF}); // invalid UTF-8
            case 8 -> ("[".repeat(1 + r.nextInt(3_000)) + json + "]".repeat(r.nextInt(3_000))).getBytes(StandardCharsets.UTF_8);
            default -> duplicateKey(json, r).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static void damageTree(JsonNode root, Random r) {
        List<ContainerNode<?>> nodes = new ArrayList<>();
        collect(root, nodes);
        ContainerNode<?> p = nodes.get(r.nextInt(nodes.size()));
        if (p instanceof ObjectNode o && !o.isEmpty()) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String f = names.get(r.nextInt(names.size()));
            switch (r.nextInt(9)) {
                case 0 -> o.remove(f);
                case 1 -> o.putNull(f);
                case 2 -> o.put(f, r.nextBoolean() ? -1 : Long.MAX_VALUE);
                case 3 -> o.putObject(f);
                case 4 -> o.putArray(f).add(1).addNull();
                case 5 -> o.put(f, "");
                case 6 -> o.put(f, "x".repeat(20_000 + r.nextInt(60_000)));
                case 7 -> o.put(f, "\ud800 lone surrogate \udc00");
                default -> o.put(f, r.nextBoolean());
            }
        } else if (p instanceof ArrayNode a && !a.isEmpty()) {
            int i = r.nextInt(a.size());
            switch (r.nextInt(4)) {
                case 0 -> a.remove(i);
                case 1 -> a.set(i, NullNode.instance);
                case 2 -> a.set(i, IntNode.valueOf(7));
                default -> a.set(i, JsonNodeFactory.instance.objectNode());
            }
        }
    }

    private static void collect(JsonNode n, List<ContainerNode<?>> out) {
        if (n instanceof ContainerNode<?> c) {
            out.add(c);
            n.elements().forEachRemaining(e -> collect(e, out));
        }
    }

    private static byte[] splice(byte[] b, int at, byte[] insert) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, at);
        o.writeBytes(insert);
        o.write(b, at, b.length - at);
        return o.toByteArray();
    }

    /** The first key written twice: {"a": 1, ...} -> {"a": 1, "a": 1, ...}. */
    private static String duplicateKey(String json, Random r) {
        int q = json.indexOf('"');
        int end = json.indexOf(',', q);
        if (q < 0 || end < 0) {
            return json + json;
        }
        return json.substring(0, end) + "," + json.substring(q, end) + json.substring(end);
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
