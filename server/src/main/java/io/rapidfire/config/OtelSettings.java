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
        StringJoiner j = new StringJoiner("\n  ", "\nOpenTelemetry traces " + (tracesOn() ? "on" : "off (set "
                + "OTEL_EXPORTER_OTLP_ENDPOINT to turn them on; docs/operations.md#traces)") + (values.isEmpty() ? "" : ":\n  "), "");
        // Header values carry API keys; an endpoint may carry user info or a key in its query (Mask.url).
        values.forEach((k, v) -> j.add(k + "=" + (k.contains("HEADERS") ? maskHeaders(v)
                : k.contains("ENDPOINT") ? io.rapidfire.core.Mask.url(v) : v)));
        return j.toString();
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
