package io.rapidfire.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Fixed secrets a caller presents (the admin token, Telegram's, Meta's verify token, the sink's for commits). */
public final class Tokens {
    private Tokens() {
    }

    /** Byte for byte, case included, in constant time: a guess learns nothing from how long the answer took. */
    public static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
