package io.rapidfire.ingest;

import java.nio.charset.StandardCharsets;

/** Signs test requests the way a bridge, Meta and Telegram do. */
final class Signing {
    private Signing() {
    }

    static String[] bridge(String secret, String path, String body, long tsMs) {
        String sig = Signatures.hmac(secret, ("POST:" + path + ":" + tsMs + ":" + body).getBytes(StandardCharsets.UTF_8));
        return new String[]{"x-timestamp", Long.toString(tsMs), "x-signature", sig};
    }

    static String[] meta(String secret, String body) {
        return new String[]{"X-Hub-Signature-256", "sha256=" + Signatures.hmac(secret, body.getBytes(StandardCharsets.UTF_8))};
    }
}
