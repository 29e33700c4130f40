package io.rapidfire.ingest;

import java.nio.charset.StandardCharsets;

/** Signs test requests the way a bridge, Meta, Telegram and WAHA do. */
final class Signing {
    private Signing() {
    }

    static String[] bridge(String secret, String path, String body, long tsMs) {
        String sig = Signatures.hmac(secret, ("POST:" + path + ":" + tsMs + ":" + body).getBytes(StandardCharsets.UTF_8));
        return new String[]{"x-timestamp", Long.toString(tsMs), "x-signature", sig};
    }

    /** WAHA: hex HMAC-SHA512 of the body (computed here independently of Signatures, so a mistake there shows). */
    static String[] waha(String secret, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return new String[]{"X-Webhook-Hmac", java.util.HexFormat.of().formatHex(mac.doFinal(
                    body.getBytes(StandardCharsets.UTF_8))), "X-Webhook-Hmac-Algorithm", "sha512"};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Chatwoot: sha256= hex HMAC-SHA256 of "<unix seconds>.<body>", with the timestamp header. */
    static String[] chatwoot(String secret, String body, long nowMs) {
        String ts = Long.toString(nowMs / 1000);
        return new String[]{"X-Chatwoot-Timestamp", ts, "X-Chatwoot-Signature",
                "sha256=" + Signatures.hmac(secret, (ts + "." + body).getBytes(StandardCharsets.UTF_8))};
    }

    static String[] meta(String secret, String body) {
        return new String[]{"X-Hub-Signature-256", "sha256=" + Signatures.hmac(secret, body.getBytes(StandardCharsets.UTF_8))};
    }
}
