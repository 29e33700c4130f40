package io.rapidfire.tracing;

import io.rapidfire.config.ConfigLoader;
import io.rapidfire.config.OtelSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class OtelSettingsTest {
    private static boolean on(Map<String, String> env) {
        return OtelSettings.of(env).tracesOn();
    }

    @Test
    void tracesAreOffUnlessAnEndpointOrAnExporterIsNamed() {
        assertThat(on(Map.of())).isFalse();
        assertThat(on(Map.of("OTEL_SERVICE_NAME", "bot-gateway", "OTEL_TRACES_SAMPLER", "always_on"))).isFalse();
        assertThat(on(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318"))).isTrue();
        assertThat(on(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/v1/traces"))).isTrue();
        assertThat(on(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
        assertThat(on(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318")))
                .isFalse();
        assertThat(on(Map.of("OTEL_SDK_DISABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318")))
                .isFalse();
    }

    @Test
    void settingsTheSdkRefusesStopTheStartNamingTheVariableAndWhatIsAcceptedWithoutShowingASecret() {
        Map<String, Map<String, String>> bad = Map.of(
                "OTEL_EXPORTER_OTLP_PROTOCOL", Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "foo"),
                "OTEL_TRACES_SAMPLER_ARG", Map.of("OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "abc"),
                "OTEL_EXPORTER_OTLP_HEADERS", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "supersecret"),
                "query string", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318/?token=supersecret2"));
        bad.forEach((what, env) -> {
            Map<String, String> all = new java.util.HashMap<>(env);
            all.putIfAbsent("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318");
            assertThatThrownBy(() -> io.rapidfire.ops.Traces.start(OtelSettings.of(all), "api"))
                    .as(what).isInstanceOf(io.rapidfire.config.ConfigException.class)
                    .hasMessageContaining("OpenTelemetry refused its settings").hasMessageContaining(what)
                    .hasMessageContaining("Accepted:").hasMessageNotContaining("supersecret")
                    .hasMessageNotContaining("otel.");
        });
    }

    @Test
    void theSettingsDumpListsEveryOtelValueInForceWithHeaderValuesMasked() {
        String dump = ConfigLoader.load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otlp.example:4318",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr3t-k3y,x-team=ops", "OTEL_TRACES_SAMPLER_ARG", "0.1",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://user:pa55w0rd@otlp.example/v1/traces",
                "PATH", "/usr/bin"), Map.of()).dump();
        assertThat(dump).contains("OpenTelemetry traces on (where not set: OTEL_SERVICE_NAME=rapidfire-<role>")
                .contains("OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.example:4318")
                .contains("OTEL_EXPORTER_OTLP_HEADERS=api-key=****,x-team=****")
                .contains("OTEL_TRACES_SAMPLER_ARG=0.1")
                .doesNotContain("s3cr3t").doesNotContain("pa55w0rd").doesNotContain("PATH=");
        assertThat(ConfigLoader.load(Map.of(), Map.of()).dump()).contains("OpenTelemetry traces off (set "
                + "OTEL_EXPORTER_OTLP_ENDPOINT");
    }
}
