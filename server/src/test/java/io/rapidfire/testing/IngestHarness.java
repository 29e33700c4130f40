package io.rapidfire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.Batcher;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.HttpSink;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.ingest.WebhookServer;
import io.rapidfire.ops.MemoryRegistry;
import io.rapidfire.ops.Metrics;
import io.rapidfire.ops.Registry;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real webhook server on port 0, a real worker delivering over HTTP to a real local receiver: the whole
 * path a platform's request takes, in one JVM.
 */
public final class IngestHarness implements AutoCloseable {
    public final BatchStore store;
    public final Metrics metrics;
    public final Registry registry = new MemoryRegistry();
    /** The bot answers with this status (tests switch it to make deliveries fail and succeed again). */
    public final java.util.concurrent.atomic.AtomicInteger botStatus = new java.util.concurrent.atomic.AtomicInteger(200);
    /** What the bot's answers say (a test sets {"handover": true} to have the bot ask for a human). */
    public final java.util.concurrent.atomic.AtomicReference<String> botBody =
            new java.util.concurrent.atomic.AtomicReference<>("{\"ok\":true}");
    public final HttpReceiver bot = new HttpReceiver(r -> new HttpReceiver.Answer(botStatus.get(), java.util.Map.of(), 0,
            botBody.get()));
    /** Handovers as the process wires them (cli Node): the webhooks' triggers, the admin routes, the worker. */
    public final io.rapidfire.core.HandoverControl handovers;
    private final WebhookServer server;
    private final Worker worker;
    private final HttpClient http = HttpClient.newHttpClient();

    public IngestHarness(IngestSettings settings, Policy policy, boolean withWorker) {
        this(MemoryBatchStore.builder().partitions(4).dedupWindow(Duration.ofMinutes(1)).build(), settings, policy, withWorker);
    }

    public IngestHarness(BatchStore store, IngestSettings settings, Policy policy, boolean withWorker) {
        this.store = store;
        this.metrics = new Metrics(store);
        // As the process does: the runtime policies (tenants', conversations') on top, re-read once a second.
        io.rapidfire.core.PolicySource policies = new io.rapidfire.core.PolicySource(store, Policies.of(policy));
        this.server = new WebhookServer(store, policies, settings, metrics, registry);
        this.handovers = io.rapidfire.core.HandoverControl.of(store, c -> policies.get().forConversation(c));
        server.handovers(handovers, io.rapidfire.ingest.HandoverSettings.defaults());
        // Composed as the process does (cli Node): the admin and the dashboard on the webhooks' server.
        io.rapidfire.admin.Admin.install(server.http(), new io.rapidfire.admin.AdminService(store, registry,
                policies), new io.rapidfire.admin.AdminSettings(settings.adminToken(),
                settings.adminReadToken(), settings.adminTrusted(), settings.defaultTenant(), settings.maxBodyBytes()),
                server::whatsappConversation);
        io.rapidfire.web.Dashboard.install(server.http());
        server.start("127.0.0.1", 0);
        this.worker = withWorker ? new Worker(store, new HttpSink(URI.create(bot.url()), "", Duration.ofSeconds(1),
                Duration.ofSeconds(5)), WorkerSettings.builder("w").concurrency(4).lease(Duration.ofSeconds(30)).maxAttempts(3).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).safetyPoll(Duration.ofSeconds(1)).shutdownGrace(Duration.ofSeconds(1)).build(), metrics)
                .handovers(handovers, io.rapidfire.ingest.HandoverSettings.DEFAULT_MS).start()
                : null;
    }

    public WebhookServer server() {
        return server;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
    }

    public HttpResponse<String> put(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).PUT(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(), headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        b.header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The one batch the bot received once everything stored was delivered: the store holds nothing open or in flight
     * (each batch is acknowledged only after the bot has it), so a split shows as a second batch. Fails otherwise.
     */
    public JsonNode onlyBatch() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !batches().isEmpty()
                && store.counts().pending() == 0 && store.counts().inflight() == 0);
        List<JsonNode> got = batches();
        if (got.size() != 1) {
            throw new AssertionError("expected exactly one combined batch, the bot received " + got.size() + ": " + got);
        }
        return got.get(0);
    }

    /** The batches the bot received, parsed. */
    public List<JsonNode> batches() {
        List<JsonNode> out = new ArrayList<>();
        for (HttpReceiver.Request r : bot.requests()) {
            try {
                out.add(MessageCodec.JSON.readTree(r.body()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    public static String payload(String name) {
        try (InputStream in = IngestHarness.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test payload " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        if (worker != null) {
            worker.close();
        }
        bot.close();
        store.close();
    }
}
