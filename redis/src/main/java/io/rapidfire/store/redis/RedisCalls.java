package io.rapidfire.store.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.rapidfire.core.StoreFault;
import io.rapidfire.core.StoreFullException;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.store.redis.LuaScripts.Script;

import java.util.function.Supplier;

/**
 * How the store talks to Redis: anything that goes wrong means "not known to be stored", so every command and
 * script fails with the store's exception, naming the fault and its fix (callers answer 503).
 */
final class RedisCalls implements RedisSharedState.Calls {
    private final String description;
    private final RedisHealth health;
    private final LuaScripts scripts;
    private final RedisClusterAsyncCommands<String, String> async;

    RedisCalls(String description, RedisHealth health, LuaScripts scripts, RedisClusterAsyncCommands<String, String> async) {
        this.description = description;
        this.health = health;
        this.scripts = scripts;
        this.async = async;
    }

    @Override
    public <T> T call(String op, String subject, Supplier<T> body) {
        requireMayWait(op);
        try {
            return body.get();
        } catch (RedisException e) {
            throw refused(op, subject, e);
        }
    }

    /** One script, waited for, on the store's connection. */
    <T> T script(String op, String subject, Script script, ScriptOutputType type, String[] keys, String... args) {
        return call(op, subject, () -> scripts.call(async, script, type, keys, args));
    }

    /**
     * A call that waits for Redis, made on one of Lettuce's own event-loop threads, would wait for the answer that
     * thread itself must read: it would hang until the command timeout and stall every connection of the loop (the
     * webhooks are served there). Refused at once instead, naming the operation, so the bug shows in the first test.
     */
    static void requireMayWait(String op) {
        String thread = Thread.currentThread().getName();
        if (thread.startsWith("lettuce-") && thread.contains("EventLoop-")) {
            throw new IllegalStateException("'" + op + "' waits for Redis but was called on the Redis client's own event "
                    + "loop (" + thread + "): use the asynchronous operation, or hand the work to another thread");
        }
    }

    /** The store's exception for a Redis error, naming the fault and its fix; remembered for the heartbeat. */
    StoreUnavailableException refused(String op, String subject, RedisException e) {
        String why = String.valueOf(e.getMessage()).replaceAll("[.\\s]+$", "");
        StoreFault fault = RedisFaults.classify(e);
        health.note(op + " (" + fault.reason() + "): " + why);
        String message = description + " refused '" + op + "' for " + subject + " (" + fault.reason() + "): " + why
                + ". To fix: " + fault.fix() + "; nothing was stored by this call, and a retry is stored once.";
        return fault == StoreFault.FULL ? new StoreFullException(message, e)
                : new StoreUnavailableException(fault, message, e);
    }
}
