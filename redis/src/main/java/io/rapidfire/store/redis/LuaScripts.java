package io.rapidfire.store.redis;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the Lua scripts from {@code /lua/<name>-<keyCount>.lua}, inlines {@code --- @include "x"} lines from
 * {@code /lua/includes/x.lua} (each once), and runs them through {@link LuaScript#run}: EVALSHA, and EVAL when
 * Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH).
 */
final class LuaScripts {
    private static final Pattern INCLUDE = Pattern.compile("^--- @include \"([A-Za-z0-9_]+)\"\\s*$", Pattern.MULTILINE);

    enum Script {
        APPEND("append", 6), CLAIM("claim", 2), RENEW("renew", 2), ACK("ack", 5), RETRY("retry", 2),
        DEAD_LETTER("deadLetter", 8), FLUSH("flush", 2), CLEAR("clear", 6), REPLAY("replayDeadLetter", 6),
        PURGE("purgeDeadLetter", 3), PRESENCE("presence", 2), COMMIT("commit", 6), AWAIT_COMMIT("awaitCommit", 2),
        SETTLE("settle", 6), HANDOVER("handover", 1), HANDOVER_START("handoverStart", 2),
        HANDOVER_END("handoverEnd", 2), HANDOVER_FORGET("handoverForget", 2), HANDOVERS("handovers", 1),
        FIND_MESSAGE("findMessage", 1),
        /** Two partition keys and four per message: its file is appendGroup-n.lua. */
        APPEND_GROUP("appendGroup", LuaScript.VARIABLE_KEYS);

        final String file;
        final int keys;

        Script(String name, int keys) {
            this.file = name + "-" + (keys == LuaScript.VARIABLE_KEYS ? "n" : Integer.toString(keys)) + ".lua";
            this.keys = keys;
        }
    }

    private final Map<Script, LuaScript> scripts = new ConcurrentHashMap<>();

    LuaScripts() {
        this(false);
    }

    /** @param manualClock use {@code includes/nowMsManual.lua} (a clock tests set) instead of Redis TIME */
    LuaScripts(boolean manualClock) {
        for (Script s : Script.values()) {
            String src = expand(read("/lua/" + s.file), manualClock);
            scripts.put(s, new LuaScript(s.file, s.keys, src));
        }
    }

    /**
     * Runs a script and waits for its answer. The one EVALSHA/NOSCRIPT path is {@link LuaScript#run}, the
     * asynchronous one: a synchronous caller waits here instead of a second copy of the fallback. Kept this way
     * round because the asynchronous path must never hold a thread, and waiting changes nothing a caller sees:
     * Lettuce's own synchronous API is the same asynchronous command awaited, the connection's TimeoutOptions
     * (RedisLink) end a command that gets no answer with the same RedisCommandTimeoutException, and a failure
     * is rethrown as the RedisException Lettuce raised, unwrapped, so the store's error messages do not change.
     */
    <T> T call(RedisClusterAsyncCommands<String, String> redis, Script s, ScriptOutputType type, String[] keys,
               String... args) {
        RedisCalls.requireMayWait(s.file);
        return await(runAsync(redis, s, type, keys, args));
    }

    /** As {@link #call}, holding no thread while Redis answers. */
    <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, String> redis, Script s,
                                      ScriptOutputType type, String[] keys, String... args) {
        return scripts.get(s).run(redis, type, keys, args);
    }

    static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new RedisException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new RedisCommandInterruptedException(e);
        }
    }

    String source(Script s) {
        return scripts.get(s).source();
    }

    static String expand(String src, boolean manualClock) {
        Set<String> done = new LinkedHashSet<>();
        StringBuilder out = new StringBuilder();
        Matcher m = INCLUDE.matcher(src);
        int last = 0;
        while (m.find()) {
            out.append(src, last, m.start());
            if (done.add(m.group(1))) {
                String name = manualClock && m.group(1).equals("nowMs") ? "nowMsManual" : m.group(1);
                out.append(read("/lua/includes/" + name + ".lua"));
            }
            last = m.end();
        }
        return out.append(src.substring(last)).toString();
    }

    static String read(String resource) {
        try (InputStream in = LuaScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
