package io.rapidfire.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Batch ids look like {@code 3f0c9a1b2c4d5e6f7a8b-12}: 20 hex digits of a SHA-1 over the conversation, its
 * batch sequence, the claim time and a per-claim seed (unique even if a conversation's state was
 * garbage-collected and its sequence restarted), then the sequence. The Redis scripts build the same shape.
 */
public final class BatchIds {
    private BatchIds() {
    }

    public static String of(String conversationKey, long seq, long nowMs, String seed) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(
                    (conversationKey + "|" + seq + "|" + nowMs + "|" + seed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 20) + "-" + seq;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
