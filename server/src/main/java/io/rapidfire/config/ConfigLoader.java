package io.rapidfire.config;

import io.rapidfire.core.TenantPolicies;

import io.rapidfire.core.Policy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the configuration: defaults &lt; config file &lt; environment &lt; command-line flags. Every problem is
 * collected and reported at once, each naming the setting, the value, its source and what is accepted.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static RapidfireConfig load(Map<String, String> env, Map<String, String> flags) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        List<String> problems = new ArrayList<>();
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue());
            sources.put(s, "default");
        }

        String file = flags.getOrDefault(Setting.RAPIDFIRE_CONFIG.name(), env.get(Setting.RAPIDFIRE_CONFIG.name()));
        if (file != null && !file.isEmpty()) {
            values.put(Setting.RAPIDFIRE_CONFIG, file);
            sources.put(Setting.RAPIDFIRE_CONFIG, flags.containsKey(Setting.RAPIDFIRE_CONFIG.name()) ? "flag" : "environment");
            readFile(Path.of(file), values, sources, problems);
        }
        for (Setting s : Setting.values()) {
            if (env.containsKey(s.name()) && s != Setting.RAPIDFIRE_CONFIG) {
                values.put(s, env.get(s.name()));
                sources.put(s, "environment");
            }
        }
        for (Map.Entry<String, String> f : flags.entrySet()) {
            Setting s = byName(f.getKey());
            if (s == null) {
                problems.add("unknown setting " + f.getKey() + " on the command line; known: " + knownNames());
            } else if (s != Setting.RAPIDFIRE_CONFIG) {
                values.put(s, f.getValue());
                sources.put(s, "flag");
            }
        }

        for (Setting s : Setting.values()) {
            String problem = s.problem(values.get(s));
            if (problem != null) {
                problems.add(s.name() + "=\"" + s.mask(values.get(s)) + "\" (" + sources.get(s) + ") is invalid: expected "
                        + problem);
            }
        }
        if (problems.isEmpty()) {
            crossCheck(values, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new RapidfireConfig(values, sources, OtelSettings.of(env));
    }

    private static void crossCheck(Map<Setting, String> v, List<String> problems) {
        if (!v.get(Setting.RAPIDFIRE_ADMIN_READ_TOKEN).isEmpty() && v.get(Setting.RAPIDFIRE_ADMIN_TOKEN).isEmpty()) {
            problems.add("RAPIDFIRE_ADMIN_READ_TOKEN is set without RAPIDFIRE_ADMIN_TOKEN: the read-only token only "
                    + "makes sense once the admin routes are closed by a token; set RAPIDFIRE_ADMIN_TOKEN too");
        }
        if (!v.get(Setting.RAPIDFIRE_ADMIN_READ_TOKEN).isEmpty()
                && v.get(Setting.RAPIDFIRE_ADMIN_READ_TOKEN).equals(v.get(Setting.RAPIDFIRE_ADMIN_TOKEN))) {
            problems.add("RAPIDFIRE_ADMIN_READ_TOKEN equals RAPIDFIRE_ADMIN_TOKEN: the read-only token would act; "
                    + "give it a value of its own (openssl rand -hex 32)");
        }
        if ("http".equals(v.get(Setting.RAPIDFIRE_SINK)) && v.get(Setting.RAPIDFIRE_SINK_URL).isEmpty()) {
            problems.add("RAPIDFIRE_SINK=http needs RAPIDFIRE_SINK_URL (the bot endpoint batches are POSTed to)");
        }
        if ("stream".equals(v.get(Setting.RAPIDFIRE_SINK)) && v.get(Setting.REDIS_URL).isEmpty()) {
            problems.add("RAPIDFIRE_SINK=stream writes to a Redis Stream and needs REDIS_URL");
        }
        if ("bullmq".equals(v.get(Setting.RAPIDFIRE_SINK)) && v.get(Setting.REDIS_URL).isEmpty()
                && v.get(Setting.RAPIDFIRE_BULLMQ_REDIS_URL).isEmpty()) {
            problems.add("RAPIDFIRE_SINK=bullmq writes BullMQ jobs to a Redis: set RAPIDFIRE_BULLMQ_REDIS_URL (the "
                    + "queues' Redis) or REDIS_URL (the store's, used for both)");
        }
        if (Long.parseLong(v.get(Setting.RAPIDFIRE_RETRY_BASE_MS)) > Long.parseLong(v.get(Setting.RAPIDFIRE_RETRY_MAX_MS))) {
            problems.add("RAPIDFIRE_RETRY_BASE_MS (" + v.get(Setting.RAPIDFIRE_RETRY_BASE_MS)
                    + ") must not exceed RAPIDFIRE_RETRY_MAX_MS (" + v.get(Setting.RAPIDFIRE_RETRY_MAX_MS) + ")");
        }
        if (Boolean.parseBoolean(v.get(Setting.RAPIDFIRE_MEDIA_RELEASES_BATCH).trim())
                && Long.parseLong(v.get(Setting.RAPIDFIRE_MEDIA_GRACE_MS).trim()) > 0) {
            problems.add("RAPIDFIRE_MEDIA_RELEASES_BATCH=true and RAPIDFIRE_MEDIA_GRACE_MS="
                    + v.get(Setting.RAPIDFIRE_MEDIA_GRACE_MS).trim() + " exclude each other: the first releases the batch "
                    + "at a photo, the second waits longer after one for its words. Keep one (docs/release-rules.md)");
        }
        try {
            Policy d = RapidfireConfig.defaultPolicy(v::get);
            TenantPolicies.parse(v.get(Setting.RAPIDFIRE_TENANT_POLICIES), d);
        } catch (IllegalArgumentException e) {
            problems.add("RAPIDFIRE_TENANT_POLICIES is invalid: " + e.getMessage());
        }
    }

    private static void readFile(Path path, Map<Setting, String> values, Map<Setting, String> sources,
                                 List<String> problems) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            problems.add("RAPIDFIRE_CONFIG=" + path + ": cannot read the file (" + e + "); give a readable Java "
                    + "properties file or unset RAPIDFIRE_CONFIG");
            return;
        }
        for (String key : props.stringPropertyNames()) {
            Setting s = byName(key);
            if (s == null || s == Setting.RAPIDFIRE_CONFIG) {
                problems.add("unknown setting " + key + " in " + path + "; known: " + knownNames());
            } else {
                values.put(s, props.getProperty(key));
                sources.put(s, "file " + path);
            }
        }
    }

    /** Environment variables that look like Rapidfire settings but are not: usually a typo. */
    public static List<String> unknownEnvironmentNames(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String k : new LinkedHashMap<>(env).keySet()) {
            if (k.startsWith("RAPIDFIRE_") && byName(k) == null) {
                out.add(k);
            }
        }
        return out;
    }

    static Setting byName(String name) {
        try {
            return Setting.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String knownNames() {
        List<String> n = new ArrayList<>();
        for (Setting s : Setting.values()) {
            n.add(s.name());
        }
        return String.join(", ", n);
    }
}
