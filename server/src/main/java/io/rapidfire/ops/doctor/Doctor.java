package io.rapidfire.ops.doctor;

import io.lettuce.core.RedisURI;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.RedisRegistry;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.store.redis.RedisConnector;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.store.redis.RedisConnector.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the original guide's troubleshooting checklist by itself against a deployment, pointed at it with the
 * same settings as the processes (REDIS_URL, RAPIDFIRE_NAMESPACE, RAPIDFIRE_PARTITIONS). It gathers the facts once
 * ({@link Inspection}) and runs each {@link DoctorCheck} (one file each) for one {@link Check} with its evidence
 * and what to do. See docs/operations.md "Troubleshooting" for the map from the guide's symptoms to these lines.
 */
public final class Doctor {
    private final RapidfireConfig config;
    private final DoctorOptions options;
    private final RedisURI uri;
    private final RedisKeys keys;
    private final String self = "rapidfire:doctor:" + ProcessHandle.current().pid() + "@" + host();

    public Doctor(RapidfireConfig config, DoctorOptions options) {
        this.config = config;
        this.options = options;
        this.uri = RedisConnector.parse(config.get(Setting.REDIS_URL));
        this.keys = new RedisKeys(config.get(Setting.RAPIDFIRE_NAMESPACE), config.getInt(Setting.RAPIDFIRE_PARTITIONS));
    }

    static String host() {
        return io.rapidfire.ops.Host.name();
    }

    /** The checklist, in the order the report shows it; watch only with --watch. */
    private List<DoctorCheck> checks() {
        List<DoctorCheck> list = new ArrayList<>(List.of(new RedisCheck(), new RedisSettingsCheck(),
                new ProcessesCheck(), new RedisErrorsCheck(), new SameRedisCheck(), new ConfigCheck(),
                new OverdueCheck(), new DeliveriesCheck(), new ProbeCheck(), new ClientsCheck()));
        if ("bullmq".equals(config.get(Setting.RAPIDFIRE_SINK))) {
            list.add(new BullmqCheck());
        }
        if (options.watchSeconds() > 0) {
            list.add(new WatchCheck());
        }
        list.add(new ClockCheck());
        return list;
    }

    public List<Check> run() {
        List<Check> out = new ArrayList<>();
        try (RedisLink link = RedisLink.open(config.get(Setting.REDIS_URL), self, Duration.ofSeconds(3),
                Duration.ofSeconds(60))) {
            List<RedisLink.Server> masters = link.masters();
            List<RedisServerFacts> facts = new ArrayList<>();
            for (RedisLink.Server m : masters) {
                if (m.up()) {
                    facts.add(RedisServerFacts.read(m.commands()));
                }
            }
            // On a Cluster with a master down, the keys on that master cannot be read: each check then says so
            // itself instead of the whole report stopping at the first one.
            List<ProcessInfo> live;
            RuntimeException registryUnreadable = null;
            try {
                live = RedisRegistry.read(link, keys, true);
            } catch (RuntimeException e) {
                live = List.of();
                registryUnreadable = e;
            }
            Inspection in = new Inspection(config, options, uri, keys, self, link, masters, facts, live,
                    link.topology() == Topology.CLUSTER);
            for (DoctorCheck c : checks()) {
                if (registryUnreadable != null && c instanceof ProcessesCheck) {
                    out.add(unchecked(c.name(), registryUnreadable));
                    continue;
                }
                try {
                    out.add(c.run(in));
                } catch (RuntimeException e) {
                    out.add(unchecked(c.name(), e));
                }
            }
        } catch (RuntimeException e) {
            out.add(Check.fail("redis", "cannot reach " + RedisConnector.describe(config.get(Setting.REDIS_URL)) + ": "
                    + e.getMessage(), "start Redis or fix REDIS_URL; the processes need the same REDIS_URL as the doctor"));
        }
        return out;
    }

    private static Check unchecked(String name, RuntimeException e) {
        return Check.fail(name, "could not be checked: " + e.getMessage(), "see the redis line above: a Redis node that "
                + "holds Rapidfire's keys does not answer");
    }

    /** The checks as JSON, one object each: check, status, evidence, fix (`doctor --json` and the dashboard). */
    public static com.fasterxml.jackson.databind.node.ArrayNode json(List<Check> checks) {
        com.fasterxml.jackson.databind.node.ArrayNode a = io.rapidfire.core.MessageCodec.JSON.createArrayNode();
        for (Check k : checks) {
            a.addObject().put("check", k.name()).put("status", k.status().name()).put("evidence", k.evidence())
                    .put("fix", k.fix());
        }
        return a;
    }
}
