package io.rapidfire.bench;



import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rapidfire.core.MessageCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The bot stand-in: timestamps every delivery the moment it arrives and answers 200. */
final class BenchSink implements AutoCloseable {
    record Delivery(long atMs, String batchId, String tenant, String conversation, List<String> messageIds,
                    String reason) {
    }

    /** What the bot got: how often each message id arrived, and the lateness of each batch (ms after its deadline). */
    record Tally(Map<String, Integer> seen, List<Double> lateness) {
        long twice() {
            return seen.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        }
    }

    /**
     * Lateness = arrival − (the batch's last message sent + quiet). Ids are "c&lt;conversation&gt;-&lt;k&gt;"; {@code sentAt}
     * gives the send time of message k of a conversation. Only batches {@code counted} contribute lateness.
     */
    static Tally tally(List<Delivery> got, SentAt sentAt, long quietMs,
                       java.util.function.Predicate<Delivery> counted) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        List<Double> lateness = new ArrayList<>();
        for (Delivery d : got) {
            long last = 0;
            for (String id : d.messageIds()) {
                seen.merge(id, 1, Integer::sum);
                int dash = id.indexOf('-');
                last = Math.max(last, sentAt.at(Integer.parseInt(id.substring(1, dash)),
                        Integer.parseInt(id.substring(dash + 1))));
            }
            if (counted.test(d)) {
                lateness.add((double) (d.atMs() - (last + quietMs)));
            }
        }
        return new Tally(seen, lateness);
    }

    interface SentAt {
        long at(int conversation, int k);
    }

    private final HttpServer server;
    private final ScheduledExecutorService later;
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

    BenchSink() throws IOException {
        this(d -> {
        });
    }

    /** {@code listener} sees each delivery as it arrives (the replay's people wait for their answer). */
    BenchSink(java.util.function.Consumer<Delivery> listener) throws IOException {
        this(listener, 0);
    }

    /**
     * @param answerAfterMs a bot that thinks (an LLM call) before it answers: the answer is sent this long after
     *                      the request arrived, without holding a thread, so the stand-in itself is not the limit
     */
    BenchSink(java.util.function.Consumer<Delivery> listener, long answerAfterMs) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4_096);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server.setExecutor(Executors.newFixedThreadPool(16, r -> new Thread(r, "bench-sink-" + n.incrementAndGet())));
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        this.later = later;
        server.createContext("/", ex -> {
            long at = System.currentTimeMillis();
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode b = MessageCodec.JSON.readTree(body);
            List<String> ids = new ArrayList<>();
            b.get("messages").forEach(m -> ids.add(m.get("id").asText()));
            Delivery d = new Delivery(at, b.get("batchId").asText(), b.get("tenant").asText(),
                    b.get("conversation").asText(), ids, b.get("reason").asText());
            deliveries.add(d);
            listener.accept(d);
            if (answerAfterMs <= 0) {
                answer(ex);
            } else {
                later.schedule(() -> {
                    answer(ex);
                    return null;
                }, answerAfterMs, TimeUnit.MILLISECONDS);
            }
        });
        server.start();
    }

    private static void answer(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 2);
        try (OutputStream o = ex.getResponseBody()) {
            o.write("ok".getBytes());
        }
    }

    /**
     * CPU of the sink's threads so far (its pool and the server's dispatcher), so that a run with Rapidfire in the
     * benchmark's JVM can report Rapidfire's CPU without the bot stand-in's.
     */
    static long cpuMicros() {
        java.util.Map<String, Long> byThread = Machine.cpuByThread(ProcessHandle.current().pid());
        return byThread.getOrDefault("bench-sink-#", 0L) + byThread.getOrDefault("HTTP-Dispatcher", 0L);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/batches";
    }

    List<Delivery> drain() {
        List<Delivery> out = new ArrayList<>(deliveries);
        deliveries.clear();
        return out;
    }

    int messagesSoFar() {
        int n = 0;
        for (Delivery d : deliveries) {
            n += d.messageIds().size();
        }
        return n;
    }

    @Override
    public void close() {
        server.stop(0);
        later.shutdownNow();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
