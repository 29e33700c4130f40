package io.rapidfire.store.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.rapidfire.core.StoreFault;

/**
 * Which {@link StoreFault} a Redis error is, from Redis's own error codes (a script's error carries the code of
 * the command that failed inside it, after a prefix on older servers, so the code is looked for anywhere).
 */
public final class RedisFaults {
    private RedisFaults() {
    }

    public static StoreFault classify(RedisException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return StoreFault.TIMEOUT;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("OOM command not allowed")) {
            return StoreFault.FULL;
        }
        if (m.contains("READONLY")) {
            return StoreFault.READ_ONLY;
        }
        if (m.contains("MISCONF")) {
            return StoreFault.PERSISTENCE_FAILED;
        }
        return StoreFault.UNAVAILABLE;
    }
}
