package io.rapidfire.testing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP trace receiver on a free loopback port ({@code POST /v1/traces}, protobuf), decoding what exporters
 * send with the specification's own classes; what a collector or Jaeger would receive.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** One received span, ids as hex, attributes as strings. */
    public record Received(String service, String name, String kind, String traceId, String spanId, String parentId,
                           Map<String, String> attributes, List<String> links, String status) {
        public String attr(String key) {
            return attributes.get(key);
        }

        @Override
        public String toString() {
            return service + " " + name + " (" + kind + ") trace=" + traceId + " span=" + spanId + " parent="
                    + (parentId.isEmpty() ? "-" : parentId) + " " + attributes + (links.isEmpty() ? "" : " links=" + links);
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new ArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                List<Received> got = new ArrayList<>();
                for (ResourceSpans rs : req.getResourceSpansList()) {
                    String service = attributes(rs.getResource()).getOrDefault("service.name", "?");
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span s : ss.getSpansList()) {
                            got.add(decode(service, s));
                        }
                    }
                }
                synchronized (this) {
                    spans.addAll(got);
                }
                ex.sendResponseHeaders(200, 0);
            } catch (RuntimeException e) {
                ex.sendResponseHeaders(400, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    /** The OTLP endpoint to give an exporter (OTEL_EXPORTER_OTLP_ENDPOINT). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<Received> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace as an indented tree (roots first, children in start order), for notes and failures. */
    public synchronized String tree(String traceId) {
        List<Received> in = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
        StringBuilder sb = new StringBuilder();
        for (Received r : in) {
            boolean hasParent = in.stream().anyMatch(p -> p.spanId().equals(r.parentId()));
            if (!hasParent) {
                print(sb, in, r, 0);
            }
        }
        return sb.toString();
    }

    private static void print(StringBuilder sb, List<Received> all, Received r, int depth) {
        sb.append("  ".repeat(depth)).append(r).append('\n');
        for (Received c : all) {
            if (c.parentId().equals(r.spanId())) {
                print(sb, all, c, depth + 1);
            }
        }
    }

    private static Received decode(String service, Span s) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (KeyValue kv : s.getAttributesList()) {
            attrs.put(kv.getKey(), text(kv.getValue()));
        }
        List<String> links = s.getLinksList().stream().map(l -> hex(l.getTraceId().toByteArray()) + "/"
                + hex(l.getSpanId().toByteArray())).collect(Collectors.toList());
        return new Received(service, s.getName(), s.getKind().name(), hex(s.getTraceId().toByteArray()),
                hex(s.getSpanId().toByteArray()), hex(s.getParentSpanId().toByteArray()), attrs, links,
                s.getStatus().getCode().name());
    }

    private static Map<String, String> attributes(Resource r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : r.getAttributesList()) {
            out.put(kv.getKey(), text(kv.getValue()));
        }
        return out;
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString();
        };
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
