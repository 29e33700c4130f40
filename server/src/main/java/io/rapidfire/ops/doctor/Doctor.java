package io.rapidfire.ops.doctor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.config.SettingGroups;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.core.Probe;
import io.rapidfire.core.Mask;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.RedisRegistry;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.store.redis.RedisConnector;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.store.redis.RedisConnector.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs the original guide's troubleshooting checklist by itself against a deployment, pointed at it with the
 * same settings as the processes (REDIS_URL, RAPIDFIRE_NAMESPACE, RAPIDFIRE_PARTITIONS). One {@link Check} per
 * item, each with its evidence and what to do. See README "Troubleshooting" for the map from the guide's
 * symptoms to these lines.
 */
public final class Doctor {
    /**
     * @param overdueMs     a batch this long past its deadline means nobody is processing the database
     * @param probeMs       how long the end-to-end probe may take
     * @param watchSeconds  with > 0, MONITOR for that long and report foreign commands on Rapidfire keys
     * @param otherPorts    "the other usual ports" on the same host to look for Rapidfire processes
     */
    public record Options(long overdueMs, long probeMs, int watchSeconds, List<Integer> otherPorts) {
        public static Options defaults() {
            return new Options(30_000, 10_000, 0, List.of(6379, 6380, 6381));
        }
    }

    private final RapidfireConfig config;
    private final Options options;
    private final RedisURI uri;
    private final RedisKeys keys;
    private final String self = "rapidfire:doctor:" + ProcessHandle.current().pid() + "@" + host();

    public Doctor(RapidfireConfig config, Options options) {
        this.config = config;
        this.options = options;
        this.uri = RedisConnector.parse(config.get(Setting.REDIS_URL));
        this.keys = new RedisKeys(config.get(Setting.RAPIDFIRE_NAMESPACE), config.getInt(Setting.RAPIDFIRE_PARTITIONS));
    }

    static String host() {
        return io.rapidfire.ops.Host.name();
    }

    public List<Check> run() {
        List<Check> out = new ArrayList<>();
        try (RedisLink link = RedisLink.open(config.get(Setting.REDIS_URL), self, Duration.ofSeconds(3),
                Duration.ofSeconds(60))) {
            RedisClusterCommands<String, String> r = link.commands();
            List<RedisLink.Server> masters = link.masters();
            List<RedisServerFacts> facts = new ArrayList<>();
            for (RedisLink.Server m : masters) {
                if (m.up()) {
                    facts.add(RedisServerFacts.read(m.commands()));
                }
            }
            boolean cluster = link.topology() == Topology.CLUSTER;
            if (cluster) {
                out.add(ClusterCheck.run(link, masters, keys, config.getInt(Setting.RAPIDFIRE_PARTITIONS)));
            } else {
                RedisServerFacts f = facts.get(0);
                out.add(Check.pass("redis", "redis " + f.version() + " at " + f.address() + " db " + uri.getDatabase()
                        + ", run_id " + f.runId() + (link.topology() == Topology.SENTINEL ? " (master '"
                        + link.target().masterName() + "' named by Sentinel)" : "")));
            }
            out.add(redisSettings(facts));
            // On a Cluster with a master down, the keys on that master cannot be read: each check then says so
            // itself instead of the whole report stopping at the first one.
            List<ProcessInfo> live;
            try {
                live = RedisRegistry.read(link, keys, true);
            } catch (RuntimeException e) {
                live = List.of();
                out.add(unchecked("processes", e));
            }
            List<ProcessInfo> processes = live;
            if (out.stream().noneMatch(c -> c.name().equals("processes"))) {
                out.add(processes(processes));
            }
            out.add(redisErrors(processes));
            out.add(safely("same-redis", () -> cluster ? sameCluster(link, processes) : sameRedis(link, facts.get(0), processes)));
            out.add(configAgrees(processes));
            out.add(safely("overdue", () -> overdue(r, link.nowMs())));
            out.add(safely("probe", this::probe));
            out.add(safely("clients", () -> clients(masters)));
            if (options.watchSeconds() > 0) {
                out.add(safely("watch", () -> watch(masters, facts)));
            }
            out.add(clocks(processes));
        } catch (RuntimeException e) {
            out.add(Check.fail("redis", "cannot reach " + RedisConnector.describe(config.get(Setting.REDIS_URL)) + ": "
                    + e.getMessage(), "start Redis or fix REDIS_URL; the processes need the same REDIS_URL as the doctor"));
        }
        return out;
    }

    private static Check safely(String name, java.util.function.Supplier<Check> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return unchecked(name, e);
        }
    }

    private static Check unchecked(String name, RuntimeException e) {
        return Check.fail(name, "could not be checked: " + e.getMessage(), "see the redis line above: a Redis node that "
                + "holds Rapidfire's keys does not answer");
    }

    /** Every master's eviction and persistence settings; the worst verdict wins and names the master. */
    private Check redisSettings(List<RedisServerFacts> masters) {
        List<Check> each = new ArrayList<>();
        for (RedisServerFacts f : masters) {
            each.add(redisSettings(f, masters.size() > 1 ? f.address() + ": " : ""));
        }
        Check worst = each.stream().max(java.util.Comparator.comparing(Check::status)).orElseThrow();
        String evidence = each.stream().map(Check::evidence).collect(Collectors.joining("; "));
        return new Check("redis-settings", worst.status(), evidence, worst.fix()
                + (masters.size() > 1 && !worst.fix().isEmpty() ? " (on every master and replica)" : ""));
    }

    private static Check redisSettings(RedisServerFacts f, String who) {
        List<String> problems = new ArrayList<>();
        String evidence = who + "maxmemory-policy " + f.maxmemoryPolicy() + ", appendonly " + (f.aof() ? "yes" : "no")
                + ", save \"" + f.save() + "\", redis " + f.version();
        if (!f.maxmemoryPolicy().equals("noeviction")) {
            return Check.fail("redis-settings", evidence + ": Redis may EVICT keys under memory pressure, and Rapidfire's "
                    + "keys are the pending batches (the guide's \"batches vanish\")",
                    "CONFIG SET maxmemory-policy noeviction, and set it in redis.conf");
        }
        if (!f.aof() && f.save().isBlank()) {
            return Check.warn("redis-settings", evidence + ": no persistence, a Redis restart loses every pending batch",
                    "CONFIG SET appendonly yes (and in redis.conf)");
        }
        if (f.version().compareTo("6.2") < 0) {
            problems.add("Redis older than 6.2 is not tested");
        }
        return problems.isEmpty() ? Check.pass("redis-settings", evidence)
                : Check.warn("redis-settings", evidence + "; " + String.join("; ", problems), "upgrade Redis to 6.2 or later");
    }

    private Check processes(List<ProcessInfo> live) {
        long ingest = live.stream().filter(ProcessInfo::ingests).count();
        long deliver = live.stream().filter(ProcessInfo::delivers).count();
        String list = live.isEmpty() ? "none" : live.stream().map(ProcessInfo::describe).collect(Collectors.joining(", "));
        String where = "in " + RedisConnector.describe(config.get(Setting.REDIS_URL)) + " namespace " + keys.namespace();
        if (deliver == 0) {
            return Check.fail("processes", "no live worker " + where + " (live: " + list + ")",
                    "start `rapidfire worker` with this REDIS_URL and RAPIDFIRE_NAMESPACE; nothing releases batches now");
        }
        if (ingest == 0) {
            return Check.fail("processes", "no live API " + where + " (live: " + list + ")",
                    "start `rapidfire api` with this REDIS_URL and RAPIDFIRE_NAMESPACE; webhooks have nowhere to go");
        }
        return Check.pass("processes", ingest + " taking webhooks, " + deliver + " delivering: " + list);
    }

    private Check redisErrors(List<ProcessInfo> live) {
        long now = System.currentTimeMillis();
        List<String> bad = new ArrayList<>();
        for (ProcessInfo p : live) {
            if (p.reconnects() > 3) {
                bad.add(p.describe() + " reconnected " + p.reconnects() + " times");
            }
            if (!p.lastError().isEmpty() && now - p.lastErrorAtMs() < 300_000) {
                bad.add(p.describe() + " saw \"" + p.lastError() + "\" " + (now - p.lastErrorAtMs()) / 1000 + " s ago");
            }
        }
        return bad.isEmpty() ? Check.pass("redis-errors", "no process reports Redis errors or repeated reconnects")
                : Check.fail("redis-errors", String.join("; ", bad),
                "check the network and Redis load (INFO, SLOWLOG GET, the processes' logs) and RAPIDFIRE_REDIS_TIMEOUT_MS");
    }

    /** A Cluster has one database; what can differ is the cluster itself (compared by its node ids). */
    private Check sameCluster(RedisLink link, List<ProcessInfo> live) {
        String identity = link.identity();
        List<String> elsewhere = live.stream().filter(p -> !p.runId().isEmpty() && !p.runId().equals(identity))
                .map(p -> p.describe() + " reached another Redis (" + p.runId() + ")").toList();
        if (elsewhere.isEmpty()) {
            return Check.pass("same-redis", "every live process sees this cluster (" + identity + ")");
        }
        return Check.fail("same-redis", String.join("; ", elsewhere) + "; you are looking at " + identity,
                "give every process the same REDIS_URL (the same cluster's nodes)");
    }

    private Check sameRedis(RedisLink link, RedisServerFacts facts, List<ProcessInfo> live) {
        RedisClusterCommands<String, String> r = link.commands();
        int db = uri.getDatabase();
        List<String> elsewhere = new ArrayList<>();
        for (ProcessInfo p : live) {
            if (!p.runId().isEmpty() && !p.runId().equals(facts.runId())) {
                elsewhere.add(p.describe() + " reached another Redis server (run_id " + p.runId() + ")");
            }
        }
        Set<String> named = new TreeSet<>();
        for (Map<String, String> cl : ClientList.parse(r.clientList())) {
            String name = cl.getOrDefault("name", "");
            if (ClientList.isRapidfire(cl) && !name.startsWith("rapidfire:doctor") && !String.valueOf(db).equals(cl.get("db"))) {
                named.add(ClientList.describe(name) + " uses db " + cl.get("db"));
            }
        }
        elsewhere.addAll(named);
        try (StatefulRedisConnection<String, String> other = link.connectSingle()) {
            for (int d = 0; d < facts.databases(); d++) {
                if (d == db) {
                    continue;
                }
                other.sync().select(d);
                for (ProcessInfo p : RedisRegistry.read(other.sync(), RedisLink.toMs(other.sync().time()), keys, true)) {
                    String line = p.describe() + " uses db " + d;
                    if (named.stream().noneMatch(n -> n.equals(line))) {
                        elsewhere.add(line);
                    }
                }
            }
        }
        for (int port : options.otherPorts()) {
            if (port == uri.getPort() || port == facts.port()) {
                continue;
            }
            elsewhere.addAll(onOtherPort(port));
        }
        if (elsewhere.isEmpty()) {
            return Check.pass("same-redis", "every live process sees this server (run_id " + facts.runId() + ") and db " + db
                    + "; no Rapidfire process found in other databases or on ports " + options.otherPorts());
        }
        return Check.fail("same-redis", String.join("; ", elsewhere) + "; you are looking at "
                + uri.getHost() + ":" + uri.getPort() + " db " + db,
                "give every process the same REDIS_URL (host, port and /db); the guide's \"API and processor read "
                        + "different databases\"");
    }

    private List<String> onOtherPort(int port) {
        List<String> out = new ArrayList<>();
        RedisURI other = RedisURI.create(uri.getHost(), port);
        other.setTimeout(Duration.ofMillis(500));
        if (uri.getPassword() != null) {
            other.setPassword(uri.getPassword());
        }
        other.setClientName(self);
        RedisClient c = RedisClient.create(other);
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            for (Map<String, String> cl : ClientList.parse(conn.sync().clientList())) {
                if (ClientList.isRapidfire(cl) && !cl.get("name").startsWith("rapidfire:doctor")) {
                    out.add(ClientList.describe(cl.get("name")) + " uses port " + port + " db " + cl.get("db"));
                }
            }
        } catch (RuntimeException unreachable) {
            // Nothing listens there (or it will not talk to us): nothing to report.
        } finally {
            c.shutdown(Duration.ZERO, Duration.ofMillis(200));
        }
        return out;
    }

    private Check configAgrees(List<ProcessInfo> live) {
        List<String> diffs = new ArrayList<>();
        for (SettingGroups.Group g : SettingGroups.Group.values()) {
            List<ProcessInfo> members = live.stream().filter(p -> switch (g) {
                case BATCHING -> true;
                case INGEST -> p.ingests();
                case DELIVERY -> p.delivers();
            }).filter(p -> !p.settings().isEmpty()).toList();
            for (Setting s : SettingGroups.of(g)) {
                Map<String, List<String>> byValue = new LinkedHashMap<>();
                for (ProcessInfo p : members) {
                    byValue.computeIfAbsent(p.settings().getOrDefault(s.name(), "?"), v -> new ArrayList<>())
                            .add(p.role() + " pid " + p.pid());
                }
                if (byValue.size() > 1) {
                    diffs.add(s.name() + ": " + byValue.entrySet().stream()
                            .map(e -> String.join(", ", e.getValue()) + " = " + (e.getKey().isEmpty() ? "(empty)" : e.getKey()))
                            .collect(Collectors.joining(" vs ")));
                }
            }
        }
        if (diffs.isEmpty()) {
            return Check.pass("config", "the " + live.size() + " live processes agree on batching, ingest and delivery settings");
        }
        return Check.fail("config", "settings differ between processes: " + String.join("; ", diffs),
                "give every process the same settings (same environment or config file) and restart the odd ones");
    }

    private Check overdue(RedisClusterCommands<String, String> r, long now) {
        int partitions = config.getInt(Setting.RAPIDFIRE_PARTITIONS);
        long worst = 0;
        String worstConv = null;
        long overdueCount = 0;
        for (int p = 0; p < partitions; p++) {
            for (String k : List.of(keys.due(p), keys.inflight(p))) {
                List<ScoredValue<String>> first = r.zrangeWithScores(k, 0, 0);
                if (!first.isEmpty() && now - (long) first.get(0).getScore() > options.overdueMs()) {
                    overdueCount += r.zcount(k, io.lettuce.core.Range.create(0, now - options.overdueMs()));
                    if (now - (long) first.get(0).getScore() > worst) {
                        worst = now - (long) first.get(0).getScore();
                        worstConv = first.get(0).getValue();
                    }
                }
            }
        }
        if (worstConv == null) {
            return Check.pass("overdue", "no batch is more than " + options.overdueMs() / 1000 + " s past its deadline");
        }
        return Check.fail("overdue", overdueCount + " batch(es) past their deadline by more than " + options.overdueMs() / 1000
                        + " s; the oldest (" + Mask.conversation(worstConv) + ") by " + worst / 1000 + " s: no worker is "
                        + "processing this database",
                "start `rapidfire worker` with this REDIS_URL, RAPIDFIRE_NAMESPACE and RAPIDFIRE_PARTITIONS, or look at "
                        + "why the live workers do not claim (their logs)");
    }

    private Check probe() {
        String id = "probe-" + UUID.randomUUID();
        try (RedisBatchStore store = RedisBatchStore.builder(config.get(Setting.REDIS_URL)).clientName(self)
                .timeout(Duration.ofSeconds(3)).namespace(keys.namespace())
                .partitions(config.getInt(Setting.RAPIDFIRE_PARTITIONS)).dedupWindow(Duration.ofMinutes(1)).build()) {
            long t0 = System.nanoTime();
            store.append(Message.text(new ConversationRef(Probe.TENANT, Probe.CHANNEL, "doctor-" + ProcessHandle.current().pid()),
                    id, "probe", null), Policy.DEFAULT.passthrough());
            long deadline = t0 + options.probeMs() * 1_000_000;
            while (System.nanoTime() < deadline) {
                if (store.isMarked(Probe.ackMark(id))) {
                    return Check.pass("probe", "a probe message was released and acknowledged by a live worker in "
                            + (System.nanoTime() - t0) / 1_000_000 + " ms (it never reaches the bot)");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            return Check.fail("probe", "a probe message appended " + options.probeMs() / 1000 + " s ago was not acknowledged",
                    "no worker claims from this database and namespace: check `rapidfire processes` and the workers' logs");
        } catch (IllegalStateException e) {
            return Check.fail("probe", e.getMessage(), "run the doctor with the deployment's settings");
        }
    }

    private Check clients(List<RedisLink.Server> masters) {
        List<String> foreign = new ArrayList<>();
        for (RedisLink.Server m : masters) {
            if (!m.up()) {
                continue;
            }
            for (Map<String, String> cl : ClientList.parse(m.commands().clientList())) {
                if (!ClientList.isRapidfire(cl) && !ClientList.isRedisItself(cl)) {
                    foreign.add((masters.size() > 1 ? m.address() + " <- " : "") + cl.getOrDefault("addr", "?")
                            + " (name " + (cl.getOrDefault("name", "").isEmpty() ? "none" : cl.get("name")) + ", db "
                            + cl.get("db") + ", last command " + cl.get("cmd") + ")");
                }
            }
        }
        if (foreign.isEmpty()) {
            return Check.pass("clients", "every connection to " + (masters.size() > 1 ? "every master" : "this Redis")
                    + " is a named Rapidfire process");
        }
        return Check.warn("clients", foreign.size() + " connection(s) not from Rapidfire: "
                        + foreign.stream().limit(10).collect(Collectors.joining("; ")),
                "if these are not yours, find them; run `rapidfire doctor --watch 30` to see whether they touch "
                        + keys.namespace() + ":* keys");
    }

    /** MONITOR on every master at once (a Cluster's writes land on many), for the same few seconds. */
    private Check watch(List<RedisLink.Server> masters, List<RedisServerFacts> facts) {
        List<Monitor.Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (RedisServerFacts f : facts) {
            RedisURI at = RedisURI.create(f.address().substring(0, f.address().lastIndexOf(':')),
                    Integer.parseInt(f.address().substring(f.address().lastIndexOf(':') + 1)));
            if (uri.getPassword() != null) {
                at.setPassword(uri.getPassword());
            }
            at.setUsername(uri.getUsername());
            Thread t = new Thread(() -> {
                try {
                    seen.addAll(Monitor.watch(at, keys.namespace(), options.watchSeconds() * 1000L));
                } catch (Exception e) {
                    failures.add(f.address() + ": " + e.getMessage());
                }
            }, "doctor-monitor-" + f.address());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            return Check.warn("watch", "MONITOR failed: " + String.join("; ", failures), "run `redis-cli MONITOR` by hand");
        }
        for (RedisLink.Server m : masters) {
            if (m.up()) {
                for (Map<String, String> cl : ClientList.parse(m.commands().clientList())) {
                    names.put(cl.get("addr"), cl.getOrDefault("name", ""));
                }
            }
        }
        // Grouped by host and client name: a script reconnecting for every command is one culprit, not fifty.
        Map<String, Map<String, Integer>> foreign = new LinkedHashMap<>();
        for (Monitor.Seen s : seen) {
            if (s.addr().equals("lua")) {
                continue;
            }
            String name = names.getOrDefault(s.addr(), "");
            if (!name.startsWith("rapidfire:")) {
                String host = s.addr().contains(":") ? s.addr().substring(0, s.addr().lastIndexOf(':')) : s.addr();
                foreign.computeIfAbsent("clients from " + host + " named " + (name.isEmpty() ? "nothing" : name),
                        k -> new LinkedHashMap<>()).merge(s.command() + " " + s.key(), 1, Integer::sum);
            }
        }
        if (foreign.isEmpty()) {
            return Check.pass("watch", seen.size() + " commands on " + keys.namespace() + ":* keys in "
                    + options.watchSeconds() + " s, all from Rapidfire");
        }
        return Check.fail("watch", "commands on Rapidfire keys from clients that are not Rapidfire: " + foreign.entrySet()
                        .stream().map(e -> e.getKey() + ": " + e.getValue().entrySet().stream().limit(5)
                                .map(c -> c.getKey() + " (x" + c.getValue() + ")").collect(Collectors.joining(", ")))
                        .collect(Collectors.joining("; ")),
                "stop that client (CLIENT KILL ADDR <addr>) or give it its own Redis database; nothing but Rapidfire may "
                        + "write " + keys.namespace() + ":* keys (the guide's \"foreign DEL in MONITOR\")");
    }

    private Check clocks(List<ProcessInfo> live) {
        List<String> off = new ArrayList<>();
        boolean fail = false;
        for (ProcessInfo p : live) {
            long skew = Math.abs(p.clockSkewMs());
            if (skew > 250) {
                off.add(p.describe() + " is " + p.clockSkewMs() + " ms off the Redis clock");
                fail |= skew > 1_000;
            }
        }
        if (off.isEmpty()) {
            return Check.pass("clock", "every live process is within 250 ms of the Redis clock");
        }
        String fix = "run NTP (chrony/systemd-timesyncd) on those hosts; deadlines use the Redis clock, but logs, "
                + "signature windows and the platforms' timestamps do not";
        return fail ? Check.fail("clock", String.join("; ", off), fix) : Check.warn("clock", String.join("; ", off), fix);
    }

}
