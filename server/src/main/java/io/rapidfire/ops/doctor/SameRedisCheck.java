package io.rapidfire.ops.doctor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.RedisRegistry;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.store.redis.RedisLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The doctor's "same-redis" line. Every process uses the Redis (server, database) the doctor looks at (the guide's "API and processor read
 * different databases"): run ids in heartbeats, CLIENT LIST, the registry in other databases, Rapidfire clients
 * on the usual other ports of the same host.
 */
final class SameRedisCheck implements DoctorCheck {
    @Override
    public String name() {
        return "same-redis";
    }

    @Override
    public Check run(Inspection in) {
        return in.cluster() ? sameCluster(in, in.link(), in.processes()) : sameRedis(in, in.link(), in.facts().get(0), in.processes());
    }

    /** A Cluster has one database; what can differ is the cluster itself (compared by its node ids). */
    private static Check sameCluster(Inspection in, RedisLink link, List<ProcessInfo> live) {
        String identity = link.identity();
        List<String> elsewhere = live.stream().filter(p -> !p.runId().isEmpty() && !p.runId().equals(identity))
                .map(p -> p.describe() + " reached another Redis (" + p.runId() + ")").toList();
        if (elsewhere.isEmpty()) {
            return Check.pass("same-redis", "every live process sees this cluster (" + identity + ")");
        }
        return Check.fail("same-redis", String.join("; ", elsewhere) + "; you are looking at " + identity,
                "give every process the same REDIS_URL (the same cluster's nodes)");
    }

    private static Check sameRedis(Inspection in, RedisLink link, RedisServerFacts facts, List<ProcessInfo> live) {
        RedisClusterCommands<String, String> r = link.commands();
        int db = in.uri().getDatabase();
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
                for (ProcessInfo p : RedisRegistry.read(other.sync(), RedisLink.toMs(other.sync().time()), in.keyspace(), true)) {
                    String line = p.describe() + " uses db " + d;
                    if (named.stream().noneMatch(n -> n.equals(line))) {
                        elsewhere.add(line);
                    }
                }
            }
        }
        for (int port : in.options().otherPorts()) {
            if (port == in.uri().getPort() || port == facts.port()) {
                continue;
            }
            elsewhere.addAll(onOtherPort(in, port));
        }
        if (elsewhere.isEmpty()) {
            return Check.pass("same-redis", "every live process sees this server (run_id " + facts.runId() + ") and db " + db
                    + "; no Rapidfire process found in other databases" + (in.options().otherPorts().isEmpty()
                    ? " (other ports of this host not looked at: --scan-ports 6379,6380,6381)"
                    : " or on ports " + in.options().otherPorts()));
        }
        return Check.fail("same-redis", String.join("; ", elsewhere) + "; you are looking at "
                + in.uri().getHost() + ":" + in.uri().getPort() + " db " + db,
                "give every process the same REDIS_URL (host, port and /db); the guide's \"API and processor read "
                        + "different databases\"");
    }

    private static List<String> onOtherPort(Inspection in, int port) {
        List<String> out = new ArrayList<>();
        RedisURI other = in.sameWayTo(in.uri().getHost(), port);
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
}
