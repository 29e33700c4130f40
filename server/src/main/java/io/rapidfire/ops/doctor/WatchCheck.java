package io.rapidfire.ops.doctor;

import io.lettuce.core.RedisURI;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.store.redis.RedisLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The doctor's "watch" line. MONITOR on every master for a few seconds: commands on Rapidfire's keys from clients that are not Rapidfire (the
 * guide's "foreign DEL in MONITOR"). Runs only with --watch.
 */
final class WatchCheck implements DoctorCheck {
    @Override
    public String name() {
        return "watch";
    }

    @Override
    public Check run(Inspection in) {
        return watch(in, in.masters(), in.facts());
    }

    /** MONITOR on every master at once (a Cluster's writes land on many), for the same few seconds. */
    private static Check watch(Inspection in, List<RedisLink.Server> masters, List<RedisServerFacts> facts) {
        List<Monitor.Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (RedisServerFacts f : facts) {
            // One server: the address REDIS_URL names (the server's own view of itself may be unreachable from
            // here, behind NAT or a TLS terminator); Sentinel and Cluster: each master's address.
            boolean direct = !in.cluster() && in.uri().getSentinels().isEmpty();
            RedisURI at = direct ? in.sameWayTo(in.uri().getHost(), in.uri().getPort())
                    : in.sameWayTo(f.address().substring(0, f.address().lastIndexOf(':')),
                    Integer.parseInt(f.address().substring(f.address().lastIndexOf(':') + 1)));
            Thread t = new Thread(() -> {
                try {
                    seen.addAll(Monitor.watch(at, in.keyspace().namespace(), in.options().watchSeconds() * 1000L));
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
                        k -> new LinkedHashMap<>()).merge(s.command() + " " + io.rapidfire.core.Mask.scrub(s.key()), 1, Integer::sum); // keys name people
            }
        }
        if (foreign.isEmpty()) {
            return Check.pass("watch", seen.size() + " commands on " + in.keyspace().namespace() + ":* keys in "
                    + in.options().watchSeconds() + " s, all from Rapidfire");
        }
        return Check.fail("watch", "commands on Rapidfire keys from clients that are not Rapidfire: " + foreign.entrySet()
                        .stream().map(e -> e.getKey() + ": " + e.getValue().entrySet().stream().limit(5)
                                .map(c -> c.getKey() + " (x" + c.getValue() + ")").collect(Collectors.joining(", ")))
                        .collect(Collectors.joining("; ")),
                "stop that client (CLIENT KILL ADDR <addr>) or give it its own Redis database; nothing but Rapidfire may "
                        + "write " + in.keyspace().namespace() + ":* keys (the guide's \"foreign DEL in MONITOR\")");
    }
}
