package io.rapidfire.faults;

import io.rapidfire.ops.doctor.DoctorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.config.ConfigLoader;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.ops.doctor.Check;
import io.rapidfire.ops.doctor.Doctor;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Rapidfire process (standalone: webhook API and worker) on a real Redis, delivering over HTTP to a bot, with
 * what the fault tests ask of it: send a message as a platform would (and retry a 503 as a platform does), read
 * the metrics and the doctor, and keep the ledger of every acknowledged message to check against what the bot got.
 */
final class FaultDeployment implements AutoCloseable {
    final RapidfireProcess process;
    final int port;
    private final String doctorRedisUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();

    /** Fast settings so that faults and recoveries fit in seconds; {@code extra} adds to or overrides them. */
    FaultDeployment(String redisUrl, String doctorRedisUrl, String sinkUrl, Map<String, String> extra) throws IOException {
        this.port = RedisServer.freePort();
        this.doctorRedisUrl = doctorRedisUrl;
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redisUrl, "RAPIDFIRE_PORT", Integer.toString(port),
                "RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL", sinkUrl, "RAPIDFIRE_QUIET_MS", "300",
                "RAPIDFIRE_REDIS_TIMEOUT_MS", "1000", "RAPIDFIRE_LEASE_MS", "3000", "RAPIDFIRE_RETRY_BASE_MS", "200",
                "RAPIDFIRE_RETRY_MAX_MS", "1000", "RAPIDFIRE_HEARTBEAT_MS", "500"));
        env.put("RAPIDFIRE_MAX_ATTEMPTS", "50");
        env.putAll(extra);
        this.process = RapidfireProcess.start(env);
    }

    FaultDeployment awaitRunning() {
        process.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
        return this;
    }

    /** One message in the original format; a 200 goes into the ledger. */
    HttpResponse<String> send(String phone, String id, String text) {
        String body = "{\"from\":\"" + phone + "\",\"message\":\"" + text + "\",\"messageId\":\"" + id + "\"}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/webhook/whatsapp/batched"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                acked.add(id);
            }
            return r;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("webhook " + base() + " did not answer: " + e, e);
        }
    }

    /** As a platform does: the same request again while it is answered 503. */
    void sendUntilStored(String phone, String id, String text) {
        await("message " + id + " stored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(phone, id, text).statusCode() == 200);
    }

    /** The answer is a 503 naming {@code reason}, and the metric of refusals counted it. */
    void assertRefused(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(reason(r)).as(r.body()).isEqualTo(reason);
        assertThat(r.body()).contains("NOT stored").contains("Retry the same request");
        assertThat(metric("rapidfire_requests_rejected_total{reason=\"" + reason + "\"}")).isGreaterThanOrEqualTo(1);
    }

    /** The reason of a refusal, as the answer's JSON names it. */
    static String reason(HttpResponse<String> r) {
        try {
            return MessageCodec.JSON.readTree(r.body()).path("reason").asText();
        } catch (IOException e) {
            return "(not JSON: " + r.body() + ")";
        }
    }

    String get(String path) {
        return fetch(path).body();
    }

    int status(String path) {
        return fetch(path).statusCode();
    }

    private HttpResponse<String> fetch(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of one sample line of /metrics, or 0 when absent. */
    double metric(String sample) {
        for (String line : get("/metrics").split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    /** `rapidfire doctor` against this deployment's Redis, by check name. */
    Map<String, Check> doctor() {
        Map<String, Check> out = new LinkedHashMap<>();
        for (Check c : new Doctor(ConfigLoader.load(Map.of("REDIS_URL", doctorRedisUrl), Map.of()),
                new DoctorOptions(30_000, 3_000, 0, List.of())).run()) {
            out.put(c.name(), c);
        }
        return out;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    Set<String> acked() {
        return new TreeSet<>(acked);
    }

    /**
     * The ledger: every acknowledged message reached the bot, and each under exactly one batchId (a batch may
     * arrive more than once, always with its own batchId, which the bot de-duplicates on).
     */
    static void assertLedger(Set<String> acked, List<String> botBodies) {
        Map<String, Set<String>> batchesOf = new HashMap<>();
        for (String body : botBodies) {
            try {
                JsonNode b = MessageCodec.JSON.readTree(body);
                for (JsonNode m : b.get("messages")) {
                    batchesOf.computeIfAbsent(m.get("id").asText(), k -> new TreeSet<>()).add(b.get("batchId").asText());
                }
            } catch (IOException e) {
                throw new AssertionError("the bot got a body that is not a batch: " + body, e);
            }
        }
        List<String> lost = new ArrayList<>();
        for (String id : acked) {
            if (!batchesOf.containsKey(id)) {
                lost.add(id);
            }
        }
        assertThat(lost).as("acknowledged but never delivered").isEmpty();
        assertThat(batchesOf.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList())
                .as("messages delivered under two batchIds").isEmpty();
    }

    void awaitDelivered(java.util.function.Supplier<List<String>> botBodies) {
        await("every acknowledged message at the bot").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Set<String> seen = new java.util.HashSet<>();
                    for (String body : botBodies.get()) {
                        for (JsonNode m : MessageCodec.JSON.readTree(body).get("messages")) {
                            seen.add(m.get("id").asText());
                        }
                    }
                    return seen.containsAll(acked);
                });
    }

    @Override
    public void close() {
        process.close();
    }
}
