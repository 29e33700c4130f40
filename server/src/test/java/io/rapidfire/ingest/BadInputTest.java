package io.rapidfire.ingest;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.rapidfire.testing.IngestHarness.payload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input gets a clear answer and leaves the store exactly as it was. Signatures are on, so
 * each case is signed correctly unless the case is about the signature.
 */
@Tag("fast")
class BadInputTest {
    private static final String WA = "/webhook/whatsapp/batched";
    private static IngestHarness h;

    enum Sign { BRIDGE, META, TELEGRAM, NONE }

    record Case(String name, String path, byte[] body, Sign sign, String[] headers, int status, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String path, String body, int status, String says) {
        return new Case(name, path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), signFor(path), new String[0],
                status, says);
    }

    private static Case raw(String name, String path, String body, Sign sign, String[] headers, int status, String says) {
        return new Case(name, path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), sign, headers, status, says);
    }

    private static Sign signFor(String path) {
        return path.startsWith("/webhook/whatsapp-cloud") ? Sign.META
                : path.startsWith("/webhook/telegram") ? Sign.TELEGRAM : Sign.BRIDGE;
    }

    @BeforeAll
    static void start() {
        IngestSettings s = IngestSettings.defaults()
                .withSecrets("bridge-secret", "meta-secret", "verify-me", "tg-secret", "admin-secret")
                .withSwitches(false, false, false, false, List.of("web", "sms"));
        h = new IngestHarness(s, new Policy(60_000, 120_000, 100, 16_384, " "), false);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static List<Case> cases() {
        String ok = "{\"from\": \"79001234567\", \"message\": \"hi\"}";
        long now = System.currentTimeMillis();
        StringBuilder huge = new StringBuilder("{\"messages\": [");
        for (int i = 0; i < 10_000; i++) {
            huge.append(i == 0 ? "" : ",").append("{\"from\": \"79001234567\", \"message\": \"m\"}");
        }
        huge.append("]}");
        String deep = "[".repeat(2_000) + "]".repeat(2_000);
        List<Case> l = new ArrayList<>(List.of(
                c("malformed JSON", WA, "{\"from\": \"7900", 400, "not valid JSON"),
                c("truncated JSON", WA, "{\"from\": \"79001234567\", \"message\": \"hi\"", 400, "not valid JSON"),
                c("trailing garbage", WA, ok + " and more", 400, "not valid JSON"),
                c("duplicate keys", WA, "{\"from\": \"79001234567\", \"from\": \"79001112233\", \"message\": \"x\"}", 400, "Duplicate field"),
                c("nesting too deep", WA, deep, 400, "not valid JSON"),
                c("empty body", WA, "", 400, "empty"),
                c("blank body", WA, "   \n ", 400, "empty"),
                c("a JSON array", WA, "[]", 400, "must be a JSON object"),
                c("a JSON string", WA, "\"hello\"", 400, "must be a JSON object"),
                c("JSON null", WA, "null", 400, "must be a JSON object"),
                c("a number", WA, "42", 400, "must be a JSON object"),
                c("unknown shape", WA, "{\"foo\": 1, \"bar\": 2}", 400, "unknown payload shape (fields: foo, bar)"),
                c("missing sender", WA, "{\"message\": \"hi\"}", 400, "'from' is missing"),
                c("empty sender", WA, "{\"from\": \"\", \"message\": \"hi\"}", 400, "'from' is empty"),
                c("sender is an object", WA, "{\"from\": {\"id\": 1}, \"message\": \"hi\"}", 400, "'from' must be a string"),
                c("sender not identifiable", WA, "{\"from\": \"hello world\", \"message\": \"hi\"}", 400, "cannot identify the sender"),
                c("control characters in the sender", WA, "{\"from\": \"7900\\u0001123\", \"message\": \"hi\"}", 400, "cannot identify the sender"),
                c("impossible phone number", WA, "{\"from\": \"+7 12\", \"message\": \"hi\"}", 400, "phone"),
                c("message is a number", WA, "{\"from\": \"79001234567\", \"message\": 42}", 400, "'message' must be a string"),
                c("message missing", WA, "{\"from\": \"79001234567\"}", 400, "'message' (or 'body') is missing"),
                c("timestamp is text", WA, "{\"from\": \"79001234567\", \"message\": \"x\", \"timestamp\": \"soon\"}", 400, "'timestamp' must be"),
                c("negative timestamp", WA, "{\"from\": \"79001234567\", \"message\": \"x\", \"timestamp\": -5}", 400, "must not be negative"),
                c("messageId is an object", WA, "{\"from\": \"79001234567\", \"message\": \"x\", \"messageId\": {}}", 400, "'messageId' must be a string"),
                c("messageId too long", WA, "{\"from\": \"79001234567\", \"message\": \"x\", \"messageId\": \"" + "i".repeat(300) + "\"}", 400, "messageId must be 1..256"),
                c("companyId with spaces", WA, "{\"from\": \"79001234567\", \"message\": \"x\", \"companyId\": \"a b\"}", 400, "'companyId' must be"),
                c("messages is not an array", WA, "{\"messages\": 5}", 400, "non-empty array"),
                c("messages is empty", WA, "{\"messages\": []}", 400, "non-empty array"),
                c("messages item is a number", WA, "{\"messages\": [1]}", 400, "must be a JSON object"),
                c("second item is broken", WA, "{\"messages\": [" + ok + ", {\"from\": \"79001234567\"}]}", 400, "'messages[1].message'"),
                c("10,000-element messages array", WA, huge.toString(), 400, "at most 1000"),
                c("second of two messages over maxBytes: neither is stored", WA, "{\"messages\": [" + ok
                        + ", {\"from\": \"79001234567\", \"message\": \"" + "x".repeat(70_000) + "\"}]}", 400,
                        "message 2 of 2: message is 70000 bytes of text; the policy's maxBytes is 16384 (RAPIDFIRE_MAX_BYTES): split it or raise the limit; nothing of this request was stored"),
                c("text over maxBytes", WA, "{\"from\": \"79001234567\", \"message\": \"" + "й".repeat(9_000) + "\"}", 400, "maxBytes is 16384"),
                c("body over the size limit", WA, "{\"from\": \"79001234567\", \"message\": \"" + "x".repeat(1_100_000) + "\"}", 413, "RAPIDFIRE_MAX_BODY_BYTES"),
                c("baileys item without key", WA, "{\"event\": \"messages.upsert\", \"data\": {\"messages\": [{\"message\": {\"conversation\": \"x\"}}]}}", 400, "'messages[0].key' must be a JSON object"),
                c("baileys key without remoteJid", WA, "{\"messages\": [{\"key\": {\"id\": \"1\"}, \"message\": {\"conversation\": \"x\"}}]}", 400, "'messages[0].key.remoteJid' is missing"),
                c("venom chat without body", WA, "{\"from\": \"79001234567@c.us\", \"type\": \"chat\", \"t\": 1, \"isGroupMsg\": false}", 400, "'body' is missing"),
                raw("missing bridge signature", WA, ok, Sign.NONE, new String[0], 401, "missing x-signature"),
                raw("wrong bridge signature", WA, ok, Sign.NONE, new String[]{"x-timestamp", Long.toString(now), "x-signature", "00ff"}, 401, "does not match"),
                raw("stale bridge signature", WA, ok, Sign.NONE, Signing.bridge("bridge-secret", WA, ok, now - 3_600_000), 401, "away from this server's clock"),
                raw("non-numeric x-timestamp", WA, ok, Sign.NONE, new String[]{"x-timestamp", "12:00", "x-signature", "00"}, 401, "x-timestamp must be a number"),
                c("cloud: wrong object", "/webhook/whatsapp-cloud", "{\"object\": \"page\", \"entry\": []}", 400, "field 'object' must be"),
                c("cloud: entry missing", "/webhook/whatsapp-cloud", "{\"object\": \"whatsapp_business_account\"}", 400, "'entry' is missing"),
                c("cloud: text without body", "/webhook/whatsapp-cloud", cloud("{\"from\": \"16505551234\", \"id\": \"wamid.1\", \"timestamp\": \"1\", \"type\": \"text\"}"), 400, "text.body' is missing"),
                c("cloud: message without from", "/webhook/whatsapp-cloud", cloud("{\"id\": \"wamid.1\", \"timestamp\": \"1\", \"type\": \"text\", \"text\": {\"body\": \"x\"}}"), 400, "messages[0].from' is missing"),
                raw("cloud: missing signature", "/webhook/whatsapp-cloud", payload("cloud-text.json"), Sign.NONE, new String[0], 401, "missing X-Hub-Signature-256"),
                raw("cloud: signature of another body", "/webhook/whatsapp-cloud", payload("cloud-text.json"), Sign.NONE, Signing.meta("meta-secret", "{}"), 401, "does not match the body"),
                raw("telegram: missing secret token", "/webhook/telegram", payload("telegram-text.json"), Sign.NONE, new String[0], 401, "missing X-Telegram-Bot-Api-Secret-Token"),
                c("telegram: not an update", "/webhook/telegram", "{\"message\": {}}", 400, "'update_id' is missing"),
                c("telegram: message without chat", "/webhook/telegram", "{\"update_id\": 1, \"message\": {\"message_id\": 1, \"text\": \"x\"}}", 400, "'message.chat' must be a JSON object"),
                c("generic: unknown channel", "/webhook/fax", "{\"sender\": \"u1\", \"text\": \"x\"}", 404, "unknown channel 'fax'; configured (RAPIDFIRE_CHANNELS): web, sms"),
                c("generic: invalid channel name", "/webhook/Web_Chat", "{\"sender\": \"u1\", \"text\": \"x\"}", 404, "unknown channel"),
                c("generic: missing sender", "/webhook/web", "{\"text\": \"x\"}", 400, "'sender' is missing"),
                c("generic: neither text nor attachments", "/webhook/web", "{\"sender\": \"u1\"}", 400, "needs one"),
                c("generic: attachments not an array", "/webhook/web", "{\"sender\": \"u1\", \"text\": \"x\", \"attachments\": {}}", 400, "'attachments' must be an array"),
                c("generic: metadata not an object", "/webhook/web", "{\"sender\": \"u1\", \"text\": \"x\", \"metadata\": [1]}", 400, "'metadata' must be an object"),
                c("generic: tenant invalid", "/webhook/web", "{\"tenant\": \"a/b\", \"sender\": \"u1\", \"text\": \"x\"}", 400, "'tenant' must be"),
                c("generic: sender with control characters", "/webhook/web", "{\"sender\": \"u\\u0000\", \"text\": \"x\"}", 400, "without control characters"),
                c("baileys presence without the chat id", WA, "{\"event\": \"presence.update\", \"data\": {\"presences\": {\"79001234567@s.whatsapp.net\": {\"lastKnownPresence\": \"composing\"}}}}", 400, "'data.id' is missing"),
                c("baileys presences is an array", WA, "{\"event\": \"presence.update\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", \"presences\": []}}", 400, "'data.presences' must be a JSON object"),
                c("baileys presences is empty", WA, "{\"event\": \"presence.update\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", \"presences\": {}}}", 400, "is empty"),
                c("baileys presence without lastKnownPresence", WA, "{\"event\": \"presence.update\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", \"presences\": {\"79001234567@s.whatsapp.net\": {\"lastSeen\": 5}}}}", 400, "lastKnownPresence' is missing"),
                c("evolution presence with an object as state", WA, "{\"event\": \"PRESENCE_UPDATE\", \"instance\": \"i1\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", \"presences\": {\"79001234567@s.whatsapp.net\": {\"lastKnownPresence\": {}}}}}", 400, "lastKnownPresence' must be a string"),
                c("wppconnect presence without state", WA, "{\"event\": \"onpresencechanged\", \"session\": \"s1\", \"id\": \"79001234567@c.us\", \"isOnline\": true}", 400, "'state' is missing"),
                c("wppconnect presence without id", WA, "{\"event\": \"onpresencechanged\", \"session\": \"s1\", \"state\": \"composing\"}", 400, "'id' is missing"),
                c("generic presence: typing is text", "/webhook/web", "{\"sender\": \"u1\", \"typing\": \"yes\"}", 400, "'typing' must be true (typing) or false (stopped), got string"),
                c("generic presence: no sender", "/webhook/web", "{\"typing\": true}", 400, "'sender' is missing"),
                c("unknown presence state is ignored", WA, "{\"event\": \"presence.update\", \"data\": {\"id\": \"79001234567@s.whatsapp.net\", \"presences\": {\"79001234567@s.whatsapp.net\": {\"lastKnownPresence\": \"dancing\"}}}}", 200, "not a typing signal"),
                c("group presence is ignored", WA, "{\"event\": \"presence.update\", \"data\": {\"id\": \"120363041234567890@g.us\", \"presences\": {\"79001234567@s.whatsapp.net\": {\"lastKnownPresence\": \"composing\"}}}}", 200, "group chat"),
                c("baileys item with an empty message body is ignored (was a 500)", WA, "{\"event\": \"messages.upsert\", \"data\": {\"type\": \"notify\", \"messages\": [{\"key\": {\"remoteJid\": \"79001234567@s.whatsapp.net\", \"id\": \"E1\"}, \"message\": {}}]}}", 200, "without a message body"),
                c("group chat is ignored", WA, "{\"from\": \"120363041234567890@g.us\", \"message\": \"hi all\"}", 200, "group chat"),
                c("status broadcast is ignored", WA, "{\"from\": \"status@broadcast\", \"message\": \"story\"}", 200, "status@broadcast"),
                c("fromMe is ignored", WA, "{\"from\": \"79001234567\", \"message\": \"bot reply\", \"fromMe\": true}", 200, "fromMe"),
                c("telegram group is ignored", "/webhook/telegram", "{\"update_id\": 1, \"message\": {\"message_id\": 1, \"from\": {\"id\": 5}, \"chat\": {\"id\": -100, \"type\": \"supergroup\"}, \"text\": \"x\"}}", 200, "supergroup chat"),
                c("telegram edit without its chat", "/webhook/telegram", "{\"update_id\": 2, \"edited_message\": {\"message_id\": 1}}", 400, "edited_message.chat")
        ));
        l.add(new Case("invalid UTF-8", WA, new byte[]{'{', '"', 'f', 'r', 'o', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                Sign.BRIDGE, new String[0], 400, "not valid JSON"));
        return l;
    }

    private static String cloud(String message) {
        return "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"changes\": [{\"value\": {\"messages\": ["
                + message + "]}}]}]}";
    }

    private static String snapshot() {
        StoreCounts c = h.store.counts();
        return c + " " + h.store.pending(1_000).stream().map(PendingBatch::toString).sorted()
                .collect(Collectors.joining(";"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsAClearAnswerAndChangesNothing(Case k) throws Exception {
        String before = snapshot();
        List<String> headers = new ArrayList<>(List.of(k.headers()));
        long now = System.currentTimeMillis();
        String bodyText = new String(k.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        switch (k.sign()) {
            case BRIDGE -> {
                String sig = Signatures.hmac("bridge-secret", concat(("POST:" + k.path() + ":" + now + ":").getBytes(), k.body()));
                headers.addAll(List.of("x-timestamp", Long.toString(now), "x-signature", sig));
            }
            case META -> headers.addAll(List.of("X-Hub-Signature-256", "sha256=" + Signatures.hmac("meta-secret", k.body())));
            case TELEGRAM -> headers.addAll(List.of("X-Telegram-Bot-Api-Secret-Token", "tg-secret"));
            case NONE -> {
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url(k.path())))
                .POST(HttpRequest.BodyPublishers.ofByteArray(k.body())).header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(k.status());
        assertThat(r.body()).contains(k.says());
        if (k.status() >= 400) {
            assertThat(r.body()).contains("\"success\":false");
        } else {
            assertThat(r.body()).contains("\"accepted\":0").contains("\"ignored\":1");
        }
        assertThat(snapshot()).as("store unchanged by: " + k.name() + " (" + bodyText.length() + " bytes)").isEqualTo(before);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
