package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.Tokens;

import io.rapidfire.core.SharedState;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Webhook signature checks over the raw request body, in constant time.
 * <ul>
 * <li>Meta (WhatsApp Cloud API): {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>}.</li>
 * <li>The original bridge scheme: {@code x-timestamp} (ms) and {@code x-signature} = hex
 * HMAC-SHA256(secret, "METHOD:url:timestamp:body"), where url is the path and query as sent (Express's
 * {@code originalUrl}, which the original signed): the query selects the tenant, so it must be covered. The timestamp must be within ±5 minutes and a signature is
 * accepted once (replays are refused, across processes, through the store). The once is counted from the answer
 * that stored the request: a request refused (4xx, 429, 503) leaves its signature usable for the retry.</li>
 * <li>Telegram: {@code X-Telegram-Bot-Api-Secret-Token} equals the secret token given to setWebhook.</li>
 * </ul>
 */
final class Signatures {
    static final long WINDOW_MS = 5 * 60_000;

    private Signatures() {
    }

    /** Header-only, before the body is read: null when the header is there and well-formed, else why not. */
    static String metaHeaderProblem(String header) {
        if (header == null || header.isBlank()) {
            return "missing X-Hub-Signature-256 header (RAPIDFIRE_META_APP_SECRET is set, so Meta's signature is required)";
        }
        if (!header.startsWith("sha256=")) {
            return "X-Hub-Signature-256 must look like sha256=<hex>";
        }
        return null;
    }

    /** Null when valid, else why not (for the 401 body). */
    static String meta(String secret, String header, byte[] body) {
        String problem = metaHeaderProblem(header);
        if (problem != null) {
            return problem;
        }
        return equalHex(hmac(secret, body), header.substring(7)) ? null
                : "X-Hub-Signature-256 does not match the body (check RAPIDFIRE_META_APP_SECRET = your app secret)";
    }

    /** @param url the path and, when there is one, "?" and the raw query, as the request line carried them */
    static String bridge(String secret, String method, String url, String timestamp, String signature, byte[] body,
                         long nowMs, SharedState replays) {
        String problem = bridgeHeaderProblem(timestamp, signature, nowMs);
        if (problem != null) {
            return problem;
        }
        return bridgeDigest(method, url, timestamp, signature, bridgeMac(secret, method, url, timestamp).doFinal(body),
                nowMs, replays);
    }

    /**
     * The bridge scheme's HMAC, fed with what is signed before the body ("METHOD:url:timestamp:"): the body is fed as
     * it is read (BridgeBody), then {@link #bridgeDigest} compares. The timestamp was checked by the header check.
     */
    static Mac bridgeMac(String secret, String method, String url, String timestamp) {
        Mac mac = macOf("HmacSHA256", secret);
        mac.update((method + ":" + url + ":" + timestamp.trim() + ":").getBytes(StandardCharsets.UTF_8));
        return mac;
    }

    /** As {@link #bridge}, with the HMAC over prefix and body already computed. */
    static String bridgeDigest(String method, String url, String timestamp, String signature, byte[] digest,
                               long nowMs, SharedState replays) {
        String problem = bridgeHeaderProblem(timestamp, signature, nowMs);
        if (problem != null) {
            return problem;
        }
        if (!equalHex(HexFormat.of().formatHex(digest), signature.trim())) {
            return "x-signature does not match (expected hex HMAC-SHA256 of \"" + method + ":" + Answers.clip(url)
                    + ":" + timestamp.trim() + ":<body>\" with RAPIDFIRE_WEBHOOK_SECRET; the query string, which selects "
                    + "the tenant, is part of the signed url)";
        }
        // Only looked at here: the mark is committed once the request is stored (commitReplayMark), so a request
        // refused with 429 or 503 can be retried byte for byte, as the answer tells the sender to.
        if (replays.isMarked(replayMark(signature))) {
            return "this signature was already used (a replayed request); sign every request anew";
        }
        return null;
    }

    /** Header-only, before the body is read: null when both headers are there and the timestamp is in the window. */
    static String bridgeHeaderProblem(String timestamp, String signature, long nowMs) {
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            return "missing x-signature or x-timestamp header (RAPIDFIRE_WEBHOOK_SECRET is set, so requests must be "
                    + "signed: x-signature = hex HMAC-SHA256(secret, METHOD:url:timestamp:body) where url is the path "
                    + "and query as sent, x-timestamp in ms)";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "x-timestamp must be a number of milliseconds since the epoch, got \"" + Answers.clip(timestamp) + "\"";
        }
        if (Math.abs(nowMs - ts) > WINDOW_MS) {
            return "x-timestamp is " + (nowMs - ts) / 1000 + " s away from this server's clock; accepted: within ±"
                    + WINDOW_MS / 1000 + " s (check the sender's clock)";
        }
        return null;
    }

    /** What a scheme that signs a prefix and the body signs: the prefix's UTF-8 bytes, then the body's. */
    private static byte[] prefixed(String prefix, byte[] body) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[p.length + body.length];
        System.arraycopy(p, 0, signed, 0, p.length);
        System.arraycopy(body, 0, signed, p.length, body.length);
        return signed;
    }

    /** The one-time mark of a bridge signature. */
    static String replayMark(String signature) {
        return "sig:" + signature.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Marks to set once a signed request is stored (or found already stored), so a replay is recognised: the
     * bridge's signature is spent; a Meta-signed body is bound to the tenant it was stored for.
     */
    record Replay(java.util.List<String> marks, long ttlMs) {
        void commit(SharedState store) {
            for (String m : marks) {
                store.markOnce(m, ttlMs);
            }
        }
    }

    static Replay bridgeReplay(String signature) {
        return new Replay(java.util.List.of(replayMark(signature)), 2 * WINDOW_MS);
    }

    /**
     * Meta signs only the body, not the {@code ?tenant=} that selects where it goes, and its signature has no time
     * in it. A signed body, once stored for a tenant, is refused for any other tenant for as long as message ids are
     * remembered (a replay with a changed query); the same body for the same tenant goes on and its messages are
     * de-duplicated by id, so Meta's own retries keep getting 200. Null when acceptable, else why not.
     */
    static String metaTenant(String signatureHeader, String tenant, SharedState store) {
        return store.isMarked(metaMark(signatureHeader, null)) && !store.isMarked(metaMark(signatureHeader, tenant))
                ? "this signed body was already delivered for another tenant (a replayed request with a changed "
                + "companyId/tenant query); Meta's retries come with the same query" : null;
    }

    static Replay metaReplay(String signatureHeader, String tenant, long rememberMs) {
        return new Replay(java.util.List.of(metaMark(signatureHeader, null), metaMark(signatureHeader, tenant)),
                rememberMs);
    }

    private static String metaMark(String signatureHeader, String tenant) {
        String sig = signatureHeader.trim().toLowerCase(java.util.Locale.ROOT);
        return tenant == null ? "meta:" + sig : "meta:" + sig + ":" + tenant;
    }

    /** WAHA: X-Webhook-Hmac = hex HMAC-SHA512 of the raw body; X-Webhook-Hmac-Algorithm, when sent, sha512. */
    static String wahaHeaderProblem(String hmac, String algorithm) {
        if (hmac == null || hmac.isBlank()) {
            return "missing X-Webhook-Hmac header (RAPIDFIRE_WAHA_HMAC_KEY is set: give WAHA's webhook the same "
                    + "hmac.key)";
        }
        if (algorithm != null && !algorithm.trim().equalsIgnoreCase("sha512")) {
            return "X-Webhook-Hmac-Algorithm must be sha512, got \"" + Answers.clip(algorithm) + "\"";
        }
        return null;
    }

    static String waha(String key, String hmac, String algorithm, byte[] body) {
        String problem = wahaHeaderProblem(hmac, algorithm);
        if (problem != null) {
            return problem;
        }
        return equalHex(hmacOf("HmacSHA512", key, body), hmac.trim()) ? null
                : "X-Webhook-Hmac does not match the body (check RAPIDFIRE_WAHA_HMAC_KEY = the webhook's hmac.key)";
    }

    /**
     * Chatwoot: X-Chatwoot-Signature = "sha256=" + hex HMAC-SHA256(secret, "<X-Chatwoot-Timestamp>.<body>"), the
     * timestamp in unix seconds. Header-only part: both present, the timestamp within ±5 minutes.
     */
    static String chatwootHeaderProblem(String timestamp, String signature, long nowMs) {
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            return "missing X-Chatwoot-Signature or X-Chatwoot-Timestamp header (RAPIDFIRE_CHATWOOT_SECRET is set: give "
                    + "the agent bot the same secret)";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim()) * 1000;
        } catch (NumberFormatException e) {
            return "X-Chatwoot-Timestamp must be unix seconds, got \"" + Answers.clip(timestamp) + "\"";
        }
        if (Math.abs(nowMs - ts) > WINDOW_MS) {
            return "X-Chatwoot-Timestamp is " + (nowMs - ts) / 1000 + " s away from this server's clock; accepted: within ±"
                    + WINDOW_MS / 1000 + " s (check the sender's clock)";
        }
        return signature.trim().startsWith("sha256=") ? null : "X-Chatwoot-Signature must look like sha256=<hex>";
    }

    static String chatwoot(String secret, String timestamp, String signature, byte[] body, long nowMs,
                           SharedState replays) {
        String problem = chatwootHeaderProblem(timestamp, signature, nowMs);
        if (problem != null) {
            return problem;
        }
        if (!equalHex(hmac(secret, prefixed(timestamp.trim() + ".", body)), signature.trim().substring(7))) {
            return "X-Chatwoot-Signature does not match (check RAPIDFIRE_CHATWOOT_SECRET = the agent bot's secret)";
        }
        return replays.isMarked(replayMark(signature)) ? "this signature was already used (a replayed request)" : null;
    }

    static String telegram(String secret, String header) {
        if (header == null) {
            return "missing X-Telegram-Bot-Api-Secret-Token header (RAPIDFIRE_TELEGRAM_SECRET_TOKEN is set; pass it "
                    + "as secret_token to setWebhook)";
        }
        return Tokens.same(secret, header) ? null : "X-Telegram-Bot-Api-Secret-Token does not match RAPIDFIRE_TELEGRAM_SECRET_TOKEN";
    }

    static String hmac(String secret, byte[] data) {
        return hmacOf("HmacSHA256", secret, data);
    }

    static String hmacOf(String algorithm, String secret, byte[] data) {
        return HexFormat.of().formatHex(macOf(algorithm, secret).doFinal(data));
    }

    /** A Mac keyed with {@code secret} (UTF-8): the one place every HMAC scheme here gets its key from. */
    static Mac macOf(String algorithm, String secret) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /** Hex digests: case does not matter ("AB" is "ab"); constant time. */
    static boolean equalHex(String expected, String given) {
        return MessageDigest.isEqual(expected.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8),
                given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
