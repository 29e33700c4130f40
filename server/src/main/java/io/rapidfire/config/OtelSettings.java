package io.rapidfire.config;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The OpenTelemetry settings: the specification's own {@code OTEL_*} environment variables, read by the SDK's
 * autoconfiguration (ops/Traces), not by Rapidfire's settings table. One deliberate difference from the SDK: traces
 * are off unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code _TRACES_ENDPOINT}) or {@code OTEL_TRACES_EXPORTER}
 * is set, because an SDK that exports by default would try localhost:4318 from every process of a deployment that
 * never asked for traces. {@code OTEL_TRACES_EXPORTER=none} and {@code OTEL_SDK_DISABLED=true} turn them off.
 */
public record OtelSettings(Map<String, String> values) {
    public OtelSettings {
        values = Map.copyOf(new TreeMap<>(values));
    }

    /** The OTEL_* variables of an environment. */
    public static OtelSettings of(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                out.put(k, v);
            }
        });
        return new OtelSettings(out);
    }

    public boolean tracesOn() {
        if ("true".equalsIgnoreCase(values.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
            return false;
        }
        String exporter = values.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
        if (exporter.equalsIgnoreCase("none")) {
            return false;
        }
        return !exporter.isEmpty() || !values.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !values.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    }

    /** For the settings dump: every OTEL_* value in force, header values and endpoint credentials masked. */
    public String dump() {
        StringJoiner j = new StringJoiner("\n  ", "\nOpenTelemetry traces " + (tracesOn() ? "on (where not set: "
                + "OTEL_SERVICE_NAME=rapidfire-<role>, OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, no metrics or logs "
                + "exporter)" : "off (set "
                + "OTEL_EXPORTER_OTLP_ENDPOINT to turn them on; docs/operations.md#traces)") + (values.isEmpty() ? "" : ":\n  "), "");
        // Header values carry API keys; an endpoint may carry user info or a key in its query (Mask.url).
        values.forEach((k, v) -> j.add(k + "=" + (k.contains("HEADERS") ? maskHeaders(v)
                : k.contains("ENDPOINT") ? io.rapidfire.core.Mask.url(v) : v)));
        return j.toString();
    }

    /**
     * What to say when the SDK refuses these settings at start: its message with the environment variables' names
     * (it names system properties, otel.foo.bar), header values and endpoint credentials masked, and what is accepted.
     */
    public String refused(String sdkMessage) {
        String m = sdkMessage == null ? "" : sdkMessage;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().contains("HEADERS") || e.getKey().contains("ENDPOINT")) {
                for (String secret : secrets(e.getValue())) {
                    m = m.replace(secret, "****");
                }
            }
        }
        java.util.regex.Matcher p = java.util.regex.Pattern.compile("otel(\\.[a-z0-9_]+)+").matcher(m);
        StringBuilder named = new StringBuilder();
        while (p.find()) {
            p.appendReplacement(named, p.group().toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
        p.appendTail(named);
        return "OpenTelemetry refused its settings: " + named + ". Accepted: OTEL_TRACES_EXPORTER otlp | none; "
                + "OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf | grpc; OTEL_EXPORTER_OTLP_ENDPOINT a URL without a query; "
                + "OTEL_EXPORTER_OTLP_HEADERS key=value,key=value; OTEL_TRACES_SAMPLER always_on | always_off | "
                + "traceidratio | parentbased_always_on | parentbased_always_off | parentbased_traceidratio, with "
                + "OTEL_TRACES_SAMPLER_ARG a number from 0 to 1 (docs/operations.md#traces). Without OTEL_* set, "
                + "Rapidfire runs without traces";
    }

    /** The parts of a header list or an endpoint that may be secret: header values (or a whole pair without "="). */
    private static java.util.List<String> secrets(String v) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (v.contains("://")) {
            String authority = v.substring(v.indexOf("://") + 3).split("[/?#]", 2)[0];
            if (authority.contains("@")) {
                out.add(authority.substring(0, authority.lastIndexOf('@'))); // user:password
            }
        }
        String list = v.contains("?") ? v.substring(v.indexOf('?') + 1) : v.contains("://") ? "" : v;
        for (String pair : list.split("[,&]")) {
            int eq = pair.indexOf('=');
            String secret = eq < 0 ? pair.trim() : pair.substring(eq + 1).trim();
            if (secret.length() >= 3) {
                out.add(secret);
            }
        }
        return out;
    }

    /** "api-key=secret,x=y" → "api-key=****,x=****": the names stay, to check which headers are sent. */
    static String maskHeaders(String v) {
        StringJoiner j = new StringJoiner(",");
        for (String pair : v.split(",")) {
            int eq = pair.indexOf('=');
            j.add(eq < 0 ? "****" : pair.substring(0, eq).trim() + "=****");
        }
        return j.toString();
    }
}
