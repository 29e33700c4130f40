package io.rapidfire.ops;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.rapidfire.config.OtelSettings;
import io.rapidfire.trace.Tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry SDK of one process, built by the SDK's own autoconfiguration from the {@code OTEL_*} environment
 * (endpoint, protocol, headers, sampler, batch delays), with Rapidfire's defaults where the environment says nothing:
 * {@code service.name} by role (rapidfire-api, rapidfire-worker, rapidfire-standalone), the http/protobuf protocol
 * (port 4318; {@code grpc} when asked), no metrics or logs exporter (metrics are on /metrics, logs on stdout). Off
 * ({@link OtelSettings#tracesOn()}): no SDK, no exporter thread, {@link Tracing#OFF}.
 */
public final class Traces implements AutoCloseable {
    private final OpenTelemetrySdk sdk;
    private final Tracing tracing;

    private Traces(OpenTelemetrySdk sdk, Tracing tracing) {
        this.sdk = sdk;
        this.tracing = tracing;
    }

    /** @param role api, worker or standalone */
    public static Traces start(OtelSettings settings, String role) {
        if (!settings.tracesOn()) {
            return new Traces(null, Tracing.OFF);
        }
        Map<String, String> defaults = new HashMap<>();
        String resource = settings.values().getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "");
        if (!settings.values().containsKey("OTEL_SERVICE_NAME") && !resource.contains("service.name=")) {
            defaults.put("otel.service.name", "rapidfire-" + role);
        }
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        // The settings as given (OTEL_FOO_BAR is otel.foo.bar), so that the SDK reads exactly what the dump showed.
        settings.values().forEach((k, v) -> defaults.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v));
        FixedIds ids = new FixedIds();
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults)
                    .addTracerProviderCustomizer((b, config) -> b.setIdGenerator(ids))
                    .build().getOpenTelemetrySdk();
        } catch (RuntimeException e) {
            throw new io.rapidfire.config.ConfigException(List.of(settings.refused(e.getMessage())));
        }
        Tracing.Roots roots = new Tracing.Roots() {
            @Override
            public Span start(SpanBuilder builder, String traceId, String spanId) {
                return ids.with(traceId, spanId, () -> builder.setNoParent().startSpan());
            }

            @Override
            public boolean sampled(String traceId) {
                return sdk.getSdkTracerProvider().getSampler().shouldSample(Context.root(), traceId, "process",
                        SpanKind.CONSUMER, Attributes.empty(), List.of()).getDecision()
                        == SamplingDecision.RECORD_AND_SAMPLE;
            }
        };
        return new Traces(sdk, Tracing.of(sdk, roots));
    }

    public Tracing tracing() {
        return tracing;
    }

    /** Exports what is left (the SDK waits for its exporter, bounded by OTEL_BSP_EXPORT_TIMEOUT). */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }

    /**
     * Random ids, except for the one span started inside {@link #with}: a batch's root, whose ids are derived from its
     * batchId (Tracing.batchTraceId) so that every worker that ever delivers the batch finds the same trace.
     */
    private static final class FixedIds implements IdGenerator {
        private final ThreadLocal<String[]> next = new ThreadLocal<>();

        Span with(String traceId, String spanId, java.util.function.Supplier<Span> start) {
            next.set(new String[]{traceId, spanId});
            try {
                return start.get();
            } finally {
                next.remove();
            }
        }

        @Override
        public String generateSpanId() {
            return take(1, IdGenerator.random()::generateSpanId);
        }

        @Override
        public String generateTraceId() {
            return take(0, IdGenerator.random()::generateTraceId);
        }

        /** The given id at {@code i} (once), else a random one. */
        private String take(int i, java.util.function.Supplier<String> random) {
            String[] n = next.get();
            if (n == null || n[i] == null) {
                return random.get();
            }
            String id = n[i];
            n[i] = null;
            return id;
        }
    }
}
