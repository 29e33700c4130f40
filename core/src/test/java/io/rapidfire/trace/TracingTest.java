package io.rapidfire.trace;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class TracingTest {
    @Test
    void aBatchsTraceIdIsDerivedFromItsBatchIdTheSameWayEveryTime() {
        String id = Tracing.batchTraceId("6bbcda4f293ffedb69fe-1");
        assertThat(id).matches("[0-9a-f]{32}").isEqualTo(Tracing.batchTraceId("6bbcda4f293ffedb69fe-1"))
                .isNotEqualTo(Tracing.batchTraceId("6bbcda4f293ffedb69fe-2"));
        assertThat(Tracing.batchRootSpanId("6bbcda4f293ffedb69fe-1")).matches("[0-9a-f]{16}");
        // The first 16 bytes of SHA-256("rapidfire-batch:6bbcda4f293ffedb69fe-1"), as operations.md says.
        assertThat(id).isEqualTo(sha256Hex("rapidfire-batch:6bbcda4f293ffedb69fe-1").substring(0, 32));
    }

    @Test
    void aStoredTraceparentComesBackAsTheSameRemoteSpanContext() {
        SpanContext c = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());
        String tp = Tracing.traceparent(c);
        assertThat(tp).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        SpanContext back = Tracing.fromTraceparent(tp);
        assertThat(back.isRemote()).isTrue();
        assertThat(back.getTraceId()).isEqualTo(c.getTraceId());
        assertThat(back.getSpanId()).isEqualTo(c.getSpanId());
        assertThat(back.isSampled()).isTrue();
    }

    @Test
    void anythingButAVersion00TraceparentIsNoContextAtAll() {
        assertThat(Tracing.traceparent(SpanContext.getInvalid())).isNull();
        for (String bad : new String[]{null, "", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01"}) {
            assertThat(Tracing.fromTraceparent(bad).isValid()).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void tracingOffBuildsNoSpansAndPassesNothingOn() {
        assertThat(Tracing.OFF.on()).isFalse();
        BatchSpans spans = new BatchSpans(Tracing.OFF, "http");
        assertThat(spans.start(null)).as("off, no span and not even a look at the batch").isSameAs(BatchSpans.Attempt.NONE);
        assertThat(Tracing.currentContext()).isEmpty();
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
