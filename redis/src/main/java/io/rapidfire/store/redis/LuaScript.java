package io.rapidfire.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One loaded Lua script (from {@code /lua/<name>-<keyCount>.lua}, includes inlined by {@link LuaScripts}): the
 * store's own scripts and a sink's. Run asynchronously with EVALSHA, falling back to EVAL when the server answers
 * NOSCRIPT.
 */
public final class LuaScript {
    private final String file;
    private final int keys;
    private final String source;
    private final String sha;

    /** The key count of a script that takes a number of keys that varies by call (its file is named "-n"). */
    static final int VARIABLE_KEYS = -1;

    LuaScript(String file, int keys, String source) {
        this.file = file;
        this.keys = keys;
        this.source = source;
        this.sha = LuaScripts.sha1(source);
    }

    /** @param name e.g. "bullmq/addJob" for {@code /lua/bullmq/addJob-8.lua} */
    public static LuaScript load(String name, int keys) {
        String file = name + "-" + keys + ".lua";
        return new LuaScript(file, keys, LuaScripts.expand(LuaScripts.read("/lua/" + file), false));
    }

    public String file() {
        return file;
    }

    String source() {
        return source;
    }

    String sha() {
        return sha;
    }

    /** Holds no thread while Redis answers. */
    public <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type,
                                        String[] keyNames, String... args) {
        if (keys != VARIABLE_KEYS && keyNames.length != keys) {
            throw new IllegalArgumentException(file + " takes " + keys + " keys, got " + keyNames.length);
        }
        CompletableFuture<T> first = redis.<T>evalsha(sha, type, keyNames, args).toCompletableFuture();
        return first.handle((r, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null) {
                return CompletableFuture.completedFuture(r);
            }
            if (cause instanceof RedisNoScriptException) {
                // EVAL caches the script on the server that runs it. On a Cluster that is the slot's master, which
                // SCRIPT LOAD (sent to any one node) would miss; the next EVALSHA there then finds it.
                return redis.<T>eval(source, type, keyNames, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
