package io.rapidfire.cli;

import io.rapidfire.config.ConfigLoader;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Flags shared by every command; they override the environment, which overrides the config file. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Config file (Java properties; keys are setting names, e.g. RAPIDFIRE_QUIET_MS=3000)")
    String config;

    @Option(names = "--redis-url", paramLabel = "URL", description = "REDIS_URL: redis://[:password@]host:port/db, redis-sentinel://h1:p1,h2:p2/db?masterName=NAME or redis-cluster://h1:p1,h2:p2; empty = in-memory (standalone)")
    String redisUrl;

    @Option(names = "--port", description = "RAPIDFIRE_PORT (default 8080)")
    String port;

    @Option(names = "--quiet-ms", description = "RAPIDFIRE_QUIET_MS (default 5000; 0 = no batching)")
    String quietMs;

    @Option(names = "--max-wait-ms", description = "RAPIDFIRE_MAX_WAIT_MS (default 30000)")
    String maxWaitMs;

    @Option(names = "--max-messages", description = "RAPIDFIRE_MAX_MESSAGES (default 10)")
    String maxMessages;

    @Option(names = "--max-bytes", description = "RAPIDFIRE_MAX_BYTES (default 16384)")
    String maxBytes;

    @Option(names = "--sink", description = "RAPIDFIRE_SINK: log | http | stream | bullmq (default log)")
    String sink;

    @Option(names = "--sink-url", description = "RAPIDFIRE_SINK_URL for the http sink")
    String sinkUrl;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any setting, e.g. --set RAPIDFIRE_LEASE_MS=60000 (see README: Settings)")
    Map<String, String> set = new LinkedHashMap<>();

    Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>(set);
        put(f, Setting.RAPIDFIRE_CONFIG, config);
        put(f, Setting.REDIS_URL, redisUrl);
        put(f, Setting.RAPIDFIRE_PORT, port);
        put(f, Setting.RAPIDFIRE_QUIET_MS, quietMs);
        put(f, Setting.RAPIDFIRE_MAX_WAIT_MS, maxWaitMs);
        put(f, Setting.RAPIDFIRE_MAX_MESSAGES, maxMessages);
        put(f, Setting.RAPIDFIRE_MAX_BYTES, maxBytes);
        put(f, Setting.RAPIDFIRE_SINK, sink);
        put(f, Setting.RAPIDFIRE_SINK_URL, sinkUrl);
        return f;
    }

    private static void put(Map<String, String> f, Setting s, String v) {
        if (v != null) {
            f.put(s.name(), v);
        }
    }

    RapidfireConfig load() {
        return ConfigLoader.load(System.getenv(), flags());
    }
}
