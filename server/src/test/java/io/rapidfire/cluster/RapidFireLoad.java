package io.rapidfire.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.HttpReceiver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A seeded rapid-fire load over real HTTP, sent like a chat platform would: each conversation's messages one
 * after another (the next only once the previous was answered), conversations spread over the API processes,
 * and a 503 retried (after 100 ms, for up to {@code retryForMs}) as WhatsApp bridges and Meta do. Records which
 * messages were acknowledged (answered 200) and when every 503 happened, then checks what the bot received.
 */
public final class RapidFireLoad {
    private final long seed;
    private final int conversations;
    private final List<Integer> apiPorts;
    private final long retryForMs;
    private final int typingPauseMaxMs;
    private final Map<String, List<String>> sent = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Long> unavailableAt = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger otherErrors = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ExecutorService pool;
    private volatile int holdFrom = Integer.MAX_VALUE;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    /** @param typingPauseMaxMs a person pauses 0..this many ms between two messages (seeded) */
    public RapidFireLoad(long seed, int conversations, List<Integer> apiPorts, long retryForMs, int typingPauseMaxMs) {
        this.typingPauseMaxMs = typingPauseMaxMs;
        this.seed = seed;
        this.conversations = conversations;
        this.apiPorts = apiPorts;
        this.retryForMs = retryForMs;
    }

    /** Starts sending on {@code senders} threads; returns at once. */
    public RapidFireLoad start(int senders) {
        pool = Executors.newFixedThreadPool(senders);
        Random random = new Random(seed);
        for (int c = 0; c < conversations; c++) {
            int messages = 1 + random.nextInt(5);
            int conv = c;
            long pauseSeed = random.nextLong();
            pool.execute(() -> sendConversation(conv, messages, new Random(pauseSeed)));
        }
        pool.shutdown();
        return this;
    }

    /**
     * Conversations from {@code index} on wait for {@link #release()} (at most 2 minutes) before they start: a test
     * that must do something while the load still runs (start a JVM, which can take 30 s on a loaded 2-core
     * machine) holds the tail of the load instead of racing it. A fast machine never reaches the hold.
     */
    public RapidFireLoad holdFrom(int index) {
        holdFrom = index;
        return this;
    }

    public void release() {
        released.countDown();
    }

    public int conversationsDone() {
        return done.get();
    }

    public void awaitSent(Duration timeout) throws InterruptedException {
        if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the load did not finish sending within " + timeout + " (" + done.get() + " of "
                    + conversations + " conversations sent)");
        }
    }

    private void sendConversation(int conv, int messages, Random pauses) {
        if (conv >= holdFrom) {
            try {
                released.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String phone = String.format("7900%07d", conv);
        int port = apiPorts.get(conv % apiPorts.size());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String id = "c" + conv + "-" + i;
            ids.add(id);
            String body = "{\"from\":\"" + phone + "@c.us\",\"message\":\"part " + i + " of " + conv
                    + "\",\"messageId\":\"" + id + "\",\"timestamp\":" + (1_700_000_000_000L + i) + "}";
            if (i > 0 && typingPauseMaxMs > 0) {
                io.rapidfire.testing.InputPace.typingPause(pauses.nextInt(typingPauseMaxMs + 1));
            }
            if (send(port, body)) {
                acknowledged.add(id);
            }
        }
        sent.put(phone, ids);
        done.incrementAndGet();
    }

    private boolean send(int port, String body) {
        long giveUp = System.nanoTime() + retryForMs * 1_000_000;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook/whatsapp/batched"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        while (true) {
            int status;
            try {
                status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                status = -1;
            }
            if (status == 200) {
                return true;
            }
            if (status == 503) {
                unavailableAt.add(System.currentTimeMillis());
            } else {
                otherErrors.incrementAndGet();
            }
            if (System.nanoTime() > giveUp) {
                return false;
            }
            LockSupport.parkNanos(100_000_000);
        }
    }

    /**
     * Waits until the deployment's store holds nothing pending or in flight and the bot has received nothing new
     * for a second: then what was not delivered never will be (a loss the outcome then counts).
     */
    public void awaitSettled(HttpReceiver bot, String redisUrl, String namespace, int partitions, Duration timeout) {
        try (io.rapidfire.store.redis.RedisBatchStore store = io.rapidfire.store.redis.RedisBatchStore.builder(redisUrl)
                .clientName("rapidfire:test-load").namespace(namespace).partitions(partitions).build()) {
            AtomicInteger last = new AtomicInteger(-1);
            org.awaitility.Awaitility.await("store drained and deliveries settled").atMost(timeout)
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        int now = delivered(bot);
                        io.rapidfire.core.StoreCounts c = store.counts();
                        return c.pending() == 0 && c.inflight() == 0 && now == last.getAndSet(now);
                    });
        }
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    public int sentCount() {
        return sent.values().stream().mapToInt(List::size).sum();
    }

    public List<Long> unavailableAt() {
        return new ArrayList<>(unavailableAt);
    }

    int otherErrors() {
        return otherErrors.get();
    }

    /** What the bot received, compared with what was acknowledged. */
    public record Outcome(int acknowledged, int deliveredAcknowledged, int lost, int deliveredUnacknowledged,
                   int inTwoBatches, int redeliveredBatches, int outOfOrder, int batches, List<String> lostIds) {
        public String describe() {
            return acknowledged + " acknowledged, " + lost + " of them lost, " + inTwoBatches
                    + " messages in two different batches, " + outOfOrder + " conversations out of order, " + batches
                    + " batches (" + redeliveredBatches + " redelivered with the same batchId), "
                    + deliveredUnacknowledged + " delivered although not acknowledged";
        }
    }

    public int delivered(HttpReceiver bot) {
        Set<String> ids = new HashSet<>();
        for (HttpReceiver.Request r : bot.requests()) {
            try {
                for (JsonNode m : MessageCodec.JSON.readTree(r.body()).get("messages")) {
                    ids.add(m.get("id").asText());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return (int) ids.stream().filter(acknowledged::contains).count();
    }

    public Outcome outcome(HttpReceiver bot) throws Exception {
        Map<String, String> batchOf = new LinkedHashMap<>();
        Map<String, List<String>> order = new LinkedHashMap<>();
        Set<String> batchIds = new HashSet<>();
        int inTwo = 0;
        int redelivered = 0;
        for (HttpReceiver.Request r : bot.requests()) {
            JsonNode b = MessageCodec.JSON.readTree(r.body());
            String batchId = b.get("batchId").asText();
            if (!batchIds.add(batchId)) {
                redelivered++; // the bot de-duplicates on Idempotency-Key: same batch, not a second answer
                continue;
            }
            for (JsonNode m : b.get("messages")) {
                String id = m.get("id").asText();
                String before = batchOf.putIfAbsent(id, batchId);
                if (before != null) {
                    inTwo++; // delivered again under another batchId: only a bot de-duplicating on message id copes
                } else {
                    // Order as a bot that drops repeated message ids sees it: first deliveries in send order.
                    order.computeIfAbsent(id.substring(0, id.indexOf('-')), k -> new ArrayList<>()).add(id);
                }
            }
        }
        int outOfOrder = 0;
        for (List<String> ids : order.values()) {
            for (int i = 1; i < ids.size(); i++) {
                if (index(ids.get(i)) <= index(ids.get(i - 1))) {
                    outOfOrder++;
                    break;
                }
            }
        }
        List<String> lost = acknowledged.stream().filter(id -> !batchOf.containsKey(id)).sorted().toList();
        int unacked = (int) batchOf.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
        return new Outcome(acknowledged.size(), acknowledged.size() - lost.size(), lost.size(), unacked, inTwo,
                redelivered, outOfOrder, batchIds.size(), lost);
    }

    private static int index(String id) {
        return Integer.parseInt(id.substring(id.indexOf('-') + 1));
    }
}
