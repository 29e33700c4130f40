package io.rapidfire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RawBot;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.TcpProxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench/soak [--minutes N]} (default 3): a bounded run of mixed inbound formats and faults, with a ledger.
 * Two API and two worker processes reach a real redis-server through a TCP proxy; a bot on a raw socket takes the
 * batches. People (each on one format: original, Baileys, WPPConnect, WhatsApp Cloud, Telegram, the generic web
 * route) send bursts to either API, and retry a refused request as platforms do. Every few seconds a fault: the
 * network to Redis stalled or reset, Redis out of memory, a worker or an API killed with kill -9 (and restarted),
 * the bot answering 503, slower than the sink timeout, or closing mid-answer. At the end the faults stop, the
 * backlog drains, and the ledger of every acknowledged message is checked against what the bot received: lost
 * (acknowledged, never delivered) and split (delivered under two batchIds) must both be 0. Writes
 * bench/results/soak.json; exits 1 when the ledger does not balance.
 *
 * <p>{@code --supersede}: the same under one answer per thought (RAPIDFIRE_ON_NEW_MESSAGE=supersede), with a bot
 * that takes each batch with 202, thinks, commits and answers only what was committed ({@link RawBot#commitLater}).
 * The ledger is then of committed answers: every acknowledged message in one, none in two (a message answered
 * twice). Writes bench/results/soak-supersede.json.
 */
public final class SoakMain {
    static final int PEOPLE = 300;
    static final String[] FORMATS = {"original", "baileys", "wppconnect", "cloud", "telegram", "web"};

    final RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "everysec");
    final TcpProxy proxy = new TcpProxy(redis.port());
    final RawBot bot = new RawBot();
    final RedisCommands<String, String> admin = RedisClient.create(redis.url()).connect().sync();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final int[] apiPorts = new int[2];
    final RapidfireProcess[] apis = new RapidfireProcess[2];
    final RapidfireProcess[] workers = new RapidfireProcess[2];
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    final AtomicLong givenUp = new AtomicLong();
    final List<String> faultLog = new ArrayList<>();
    static final String SINK_SECRET = "soak-sink-secret";
    final boolean supersede;

    SoakMain(boolean supersede) throws Exception {
        this.supersede = supersede;
        if (supersede) {
            bot.commitLater(SINK_SECRET);
        }
        for (int i = 0; i < 2; i++) {
            apiPorts[i] = RedisServer.freePort();
        }
    }

    Map<String, String> env(String role, int port) {
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", proxy.redisUrl(), "RAPIDFIRE_SINK", "http",
                "RAPIDFIRE_SINK_URL", bot.url(), "RAPIDFIRE_QUIET_MS", "1000", "RAPIDFIRE_REDIS_TIMEOUT_MS", "1000",
                "RAPIDFIRE_LEASE_MS", "3000", "RAPIDFIRE_RETRY_BASE_MS", "200", "RAPIDFIRE_RETRY_MAX_MS", "2000",
                "RAPIDFIRE_SINK_TIMEOUT_MS", "2000"));
        env.put("RAPIDFIRE_MAX_ATTEMPTS", "100");
        env.put("RAPIDFIRE_RATE_IP_BURST", "0");
        env.put("RAPIDFIRE_RATE_SENDER_BURST", "0");
        env.put("RAPIDFIRE_PORT", Integer.toString(port));
        env.put("RAPIDFIRE_OPEN_ROUTES", "all");
        if (supersede) {
            env.put("RAPIDFIRE_ON_NEW_MESSAGE", "supersede");
            env.put("RAPIDFIRE_SINK_SECRET", SINK_SECRET);
            env.put("RAPIDFIRE_PUBLIC_URL", "http://127.0.0.1:" + apiPorts[0]); // commits go to the first API
            env.put("RAPIDFIRE_COMMIT_WAIT_MS", "1000");
        }
        return env;
    }

    RapidfireProcess start(String role, int port) {
        return RapidfireProcess.start(List.of("-Xmx256m", "-XX:+UseSerialGC"), env(role, port), role);
    }

    public static void main(String[] args) throws Exception {
        int i = List.of(args).indexOf("--minutes");
        double minutes = i >= 0 && i + 1 < args.length ? Double.parseDouble(args[i + 1]) : 3;
        SoakMain s = new SoakMain(List.of(args).contains("--supersede"));
        int status;
        try {
            status = s.run(Duration.ofMillis((long) (minutes * 60_000)));
        } finally {
            s.stopAll();
        }
        System.exit(status);
    }

    int run(Duration length) throws Exception {
        for (int i = 0; i < 2; i++) {
            apis[i] = start("api", apiPorts[i]);
            workers[i] = start("worker", RedisServer.freePort());
        }
        for (int i = 0; i < 2; i++) {
            apis[i].awaitOutput("Rapidfire api running", Duration.ofSeconds(60));
            workers[i].awaitOutput("Rapidfire worker running", Duration.ofSeconds(60));
        }
        System.out.printf(Locale.ROOT, "soak: %d people on %d formats, 2 API + 2 worker processes, faults every 6 s, "
                + "for %d s%n", PEOPLE, FORMATS.length, length.toSeconds());
        long end = System.currentTimeMillis() + length.toMillis();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService people = Executors.newFixedThreadPool(24);
        AtomicLong sent = new AtomicLong();
        for (int t = 0; t < 24; t++) {
            int lane = t;
            people.execute(() -> {
                Random rnd = new Random(1_000 + lane);
                long n = 0;
                while (sending.get()) {
                    int person = lane + 24 * rnd.nextInt(PEOPLE / 24);
                    int burst = 1 + rnd.nextInt(4);
                    for (int k = 0; k < burst && sending.get(); k++) {
                        String id = "s" + lane + "-" + n++;
                        sendUntilStored(person, id, "part " + k + " of a thought", rnd);
                        sent.incrementAndGet();
                        LockSupport.parkNanos((50 + rnd.nextInt(350)) * 1_000_000L);
                    }
                    LockSupport.parkNanos((500 + rnd.nextInt(2_000)) * 1_000_000L);
                }
            });
        }
        // Operators hand conversations to a human for 4 s while people keep writing: their messages must still reach
        // the bot (marked handover), and every handover's start and end must come as events.
        Thread operator = new Thread(() -> handOverWhileSending(sending), "soak-operator");
        operator.start();
        Random faults = new Random(99);
        int f = 0;
        while (System.currentTimeMillis() < end) {
            LockSupport.parkNanos(3_000_000_000L);
            fault(f++ % 8, faults);
            LockSupport.parkNanos(3_000_000_000L);
        }
        sending.set(false);
        people.shutdown();
        people.awaitTermination(2, TimeUnit.MINUTES);
        operator.join(30_000);
        long drainStart = System.currentTimeMillis();
        Map<String, Set<String>> batchesOf = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        Set<String> events = new HashSet<>();
        Set<String> marked = new HashSet<>();
        // Under supersede: the batches the bot answered (committed, not marked handover), per message.
        Map<String, Set<String>> answeredIn = new HashMap<>();
        while (System.currentTimeMillis() - drainStart < 120_000) {
            answeredIn.clear();
            batchesOf.clear();
            copies.clear();
            events.clear();
            marked.clear();
            List<String> delivered = supersede ? new ArrayList<>(bot.committed()) : bot.bodies();
            Set<String> recorded = new HashSet<>();
            if (supersede) {
                recorded.addAll(bot.recorded());
                delivered.addAll(recorded);
            }
            for (String body : delivered) {
                JsonNode b = MessageCodec.JSON.readTree(body);
                copies.merge(b.get("batchId").asText(), 1, Integer::sum);
                for (JsonNode m : b.get("messages")) {
                    if (m.path("type").asText().equals("handover")) {
                        events.add(b.get("conversation").asText() + " " + m.get("id").asText());
                        continue;
                    }
                    batchesOf.computeIfAbsent(m.get("id").asText(), k -> new HashSet<>()).add(b.get("batchId").asText());
                    if (b.path("handover").asBoolean()) {
                        marked.add(m.get("id").asText());
                    } else if (!recorded.contains(body)) {
                        answeredIn.computeIfAbsent(m.get("id").asText(), k -> new HashSet<>()).add(b.get("batchId").asText());
                    }
                }
            }
            long ends = events.stream().filter(e -> e.contains("handover-ended-")).count();
            long starts = events.stream().filter(e -> e.contains("handover-started-")).count();
            if (batchesOf.keySet().containsAll(acked) && starts == ends && starts >= handoversStarted.get()) {
                break;
            }
            LockSupport.parkNanos(500_000_000L);
        }
        long lost = acked.stream().filter(id -> !batchesOf.containsKey(id)).count();
        // A message recorded for a human and later answered by the bot (after the handover) is not answered twice:
        // under supersede only the bot's own answers count; under queue every delivery does, as before.
        Map<String, Set<String>> counted = supersede ? answeredIn : batchesOf;
        long split = counted.values().stream().filter(b -> b.size() > 1).count();
        List<String> examples = new ArrayList<>();
        acked.stream().filter(id -> !batchesOf.containsKey(id)).limit(10).forEach(id -> examples.add("lost " + id
                + ": in deliveries " + deliveriesOf(id)));
        counted.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(10).forEach(e -> examples.add("twice "
                + e.getKey() + ": " + e.getValue() + "; deliveries " + deliveriesOf(e.getKey())));
        long unacknowledgedDelivered = batchesOf.keySet().stream().filter(id -> !acked.contains(id)).count();
        long redelivered = copies.values().stream().filter(c -> c > 1).count();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Machine.describe());
        doc.put("seconds", length.toSeconds());
        doc.put("people", PEOPLE);
        doc.put("formats", List.of(FORMATS));
        doc.put("messages_acknowledged", acked.size());
        doc.put("batches", copies.size());
        doc.put("rule", supersede ? "supersede (the ledger counts committed answers)" : "queue");
        if (supersede) {
            doc.put("answers_dropped_at_commit", bot.dropped());
        }
        doc.put("lost", lost);
        doc.put("delivered_under_two_batch_ids", split);
        doc.put("batches_delivered_more_than_once_same_batch_id", redelivered);
        doc.put("delivered_though_never_acknowledged", unacknowledgedDelivered);
        doc.put("sends_given_up", givenUp.get());
        long startEvents = events.stream().filter(e -> e.contains("handover-started-")).count();
        long endEvents = events.stream().filter(e -> e.contains("handover-ended-")).count();
        doc.put("handovers_started_by_operators", handoversStarted.get());
        doc.put("handover_started_events_delivered", startEvents);
        doc.put("handover_ended_events_delivered", endEvents);
        doc.put("messages_delivered_marked_handover", marked.size());
        doc.put("answers", new java.util.TreeMap<>(answers));
        doc.put("faults", faultLog);
        events.stream().filter(e -> e.contains("handover-ended-") && !events.contains(e.replace("-ended-", "-started-")))
                .limit(10).forEach(e -> examples.add("ended without its started event: " + e + "; the started event in "
                        + deliveriesOf(e.substring(e.indexOf(' ') + 1).replace("-ended-", "-started-"))));
        doc.put("examples", examples);
        Path out = Path.of(supersede ? "bench/results/soak-supersede.json" : "bench/results/soak.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, MessageCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        System.out.printf(Locale.ROOT, "soak%s: %,d messages acknowledged in %,d batches over %d s with %d faults; "
                        + "lost %d, %s %d; %d batches came again with their own batchId; "
                        + "%d handovers (%d started and %d ended events delivered, %d messages delivered marked); "
                        + "answers %s%nwritten: %s%n", supersede ? " (supersede, " + bot.dropped() + " answers dropped at "
                        + "the commit)" : "", acked.size(), copies.size(), length.toSeconds(), faultLog.size(),
                lost, supersede ? "in two committed answers" : "delivered under two batchIds", split, redelivered, handoversStarted.get(), startEvents, endEvents, marked.size(),
                new java.util.TreeMap<>(answers), out);
        boolean handoversBalance = startEvents == endEvents && startEvents >= handoversStarted.get();
        return lost == 0 && split == 0 && handoversBalance ? 0 : 1;
    }

    /** Every delivery of a message the bot saw (committed or not), for the examples of a ledger that fails. */
    private List<String> deliveriesOf(String messageId) {
        List<String> out = new ArrayList<>();
        Set<String> committedBodies = new HashSet<>(bot.committed());
        committedBodies.addAll(bot.recorded());
        for (String body : bot.bodies()) {
            try {
                JsonNode b = MessageCodec.JSON.readTree(body);
                for (JsonNode m : b.get("messages")) {
                    if (m.get("id").asText().equals(messageId)) {
                        out.add(b.get("batchId").asText() + " " + b.get("reason").asText() + (b.path("handover")
                                .asBoolean() ? " handover" : "") + " supersedes=" + b.path("supersedes") + " "
                                + (committedBodies.contains(body) ? "committed" : "not committed: "
                                + bot.commitOutcome(b.get("batchId").asText())));
                    }
                }
            } catch (java.io.IOException e) {
                out.add("unreadable body");
            }
        }
        return out;
    }

    final AtomicLong handoversStarted = new AtomicLong();
    final Set<String> handovers = ConcurrentHashMap.newKeySet();

    /**
     * Every 2 s an operator hands a conversation the bot has already answered to a human for 4 s, through either
     * API's admin route; a refused or unanswered call (a fault) is tried on the next round.
     */
    void handOverWhileSending(AtomicBoolean sending) {
        Random rnd = new Random(7);
        while (sending.get()) {
            pause(2_000);
            List<String> bodies = bot.bodies();
            if (bodies.isEmpty()) {
                continue;
            }
            try {
                JsonNode b = MessageCodec.JSON.readTree(bodies.get(rnd.nextInt(bodies.size())));
                String key = b.get("tenant").asText() + ":" + b.get("channel").asText() + ":" + b.get("conversation").asText();
                String url = "http://127.0.0.1:" + apiPorts[rnd.nextInt(2)] + "/admin/conversations/"
                        + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8) + "/handover?for=4s";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    // One handover per conversation and start: a call on one in force only moved its end.
                    handovers.add(key + " " + MessageCodec.JSON.readTree(r.body()).path("handover").path("sinceMs").asLong());
                    handoversStarted.set(handovers.size());
                }
            } catch (java.io.IOException e) {
                // the API was down for a fault: next round
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One fault, held for about 3 s, then cleared. */
    void fault(int which, Random rnd) {
        String name;
        switch (which) {
            case 0 -> {
                name = "network to Redis stalled 3 s";
                proxy.stall();
                pause(3_000);
                proxy.restore();
            }
            case 1 -> {
                name = "kill -9 of a worker, restarted";
                int w = rnd.nextInt(2);
                workers[w].kill9();
                workers[w].close();
                workers[w] = start("worker", freePort());
            }
            case 2 -> {
                name = "bot answers 503 for 3 s";
                bot.mode(RawBot.Mode.UNAVAILABLE);
                pause(3_000);
                bot.mode(RawBot.Mode.OK);
            }
            case 3 -> {
                name = "Redis out of memory for 3 s";
                admin.configSet("maxmemory", "1");
                pause(3_000);
                admin.configSet("maxmemory", "0");
            }
            case 4 -> {
                name = "network to Redis reset (RST), down 2 s";
                proxy.reset();
                pause(2_000);
                proxy.restore();
            }
            case 5 -> {
                name = "bot slower (3 s) than the sink timeout (2 s) for 3 s";
                bot.slowMs(3_000);
                bot.mode(RawBot.Mode.SLOW);
                pause(3_000);
                bot.mode(RawBot.Mode.OK);
            }
            case 6 -> {
                name = "kill -9 of an API process, restarted";
                int a = rnd.nextInt(2);
                apis[a].kill9();
                apis[a].close();
                apis[a] = start("api", apiPorts[a]);
            }
            default -> {
                name = "bot closes the connection mid-answer for 3 s";
                bot.mode(RawBot.Mode.BREAK_MID_ANSWER);
                pause(3_000);
                bot.mode(RawBot.Mode.OK);
            }
        }
        faultLog.add(name);
        System.out.println("  fault: " + name);
    }

    private static int freePort() {
        try {
            return RedisServer.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long ms) {
        LockSupport.parkNanos(ms * 1_000_000);
    }

    /** As a platform does: the same request again (to either API) while it is refused, for up to 2 minutes. */
    void sendUntilStored(int person, String id, String text, Random rnd) {
        String format = FORMATS[person % FORMATS.length];
        String[] req = request(format, person, id, text);
        long giveUpAt = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < giveUpAt) {
            int port = apiPorts[rnd.nextInt(2)];
            String answer;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + req[0]))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(req[1])).build(), HttpResponse.BodyHandlers.ofString());
                answer = r.statusCode() == 200 ? "200" : r.statusCode() + " " + reason(r.body());
                if (r.statusCode() == 200) {
                    acked.add(req[2]);
                    answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
                    return;
                }
                if (r.statusCode() / 100 == 4) {
                    throw new IllegalStateException("the soak sent a request Rapidfire refuses: " + r.body());
                }
            } catch (java.io.IOException e) {
                answer = "no answer (API process down)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
            pause(200);
        }
        givenUp.incrementAndGet();
    }

    private static String reason(String body) {
        try {
            return MessageCodec.JSON.readTree(body).path("reason").asText();
        } catch (Exception e) {
            return "?";
        }
    }

    /** {path, body, the message id the bot will see} for one message of one person in their format. */
    static String[] request(String format, int person, String id, String text) {
        String digits = Long.toString(79_100_000_000L + person);
        return switch (format) {
            case "baileys" -> new String[]{"/webhook/whatsapp/batched", "{\"event\":\"messages.upsert\",\"data\":{\"type\":"
                    + "\"notify\",\"messages\":[{\"key\":{\"remoteJid\":\"" + digits + "@s.whatsapp.net\",\"fromMe\":false,"
                    + "\"id\":\"" + id + "\"},\"messageTimestamp\":1764320000,\"message\":{\"conversation\":\"" + text
                    + "\"}}]}}", id};
            case "wppconnect" -> new String[]{"/webhook/whatsapp/batched", "{\"event\":\"onmessage\",\"session\":\"soak\","
                    + "\"id\":\"" + id + "\",\"body\":\"" + text + "\",\"type\":\"chat\",\"t\":1764320006,\"from\":\""
                    + digits + "@c.us\",\"fromMe\":false,\"isGroupMsg\":false}", id};
            case "cloud" -> new String[]{"/webhook/whatsapp-cloud", "{\"object\":\"whatsapp_business_account\",\"entry\":"
                    + "[{\"id\":\"1\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
                    + "{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"messages\":"
                    + "[{\"from\":\"" + digits + "\",\"id\":\"" + id + "\",\"timestamp\":\"1764320000\",\"type\":\"text\","
                    + "\"text\":{\"body\":\"" + text + "\"}}]},\"field\":\"messages\"}]}]}", id};
            case "telegram" -> {
                // Telegram's message ids are numbers: "s<lane>-<n>" becomes lane * 10^9 + n, unique like the id.
                int dash = id.indexOf('-');
                String numeric = Long.toString(Long.parseLong(id.substring(1, dash)) * 1_000_000_000L
                        + Long.parseLong(id.substring(dash + 1)));
                yield new String[]{"/webhook/telegram", "{\"update_id\":1,\"message\":{\"message_id\":" + numeric
                        + ",\"from\":{\"id\":" + digits + ",\"is_bot\":false,\"first_name\":\"P\"},\"chat\":{\"id\":"
                        + digits + ",\"type\":\"private\"},\"date\":1764320000,\"text\":\"" + text + "\"}}", numeric};
            }
            case "web" -> new String[]{"/webhook/web", "{\"sender\":\"visitor-" + person + "\",\"id\":\"" + id
                    + "\",\"text\":\"" + text + "\",\"timestamp\":1764320000}", id};
            default -> new String[]{"/webhook/whatsapp/batched", "{\"from\":\"+" + digits + "\",\"message\":\"" + text
                    + "\",\"messageId\":\"" + id + "\"}", id};
        };
    }

    void stopAll() {
        List<AutoCloseable> all = new ArrayList<>();
        for (RapidfireProcess p : apis) {
            if (p != null) {
                all.add(p::close);
            }
        }
        for (RapidfireProcess p : workers) {
            if (p != null) {
                all.add(p::close);
            }
        }
        all.add(bot);
        all.add(proxy);
        all.add(redis);
        RapidfireProcess.closeAll(all);
    }
}
