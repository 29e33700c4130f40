package io.rapidfire.ops.doctor;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.store.redis.RedisLink;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The doctor's "redis" line for a Redis Cluster: cluster state as each master reports it, slot coverage, which
 * master is down, and how Rapidfire's partitions spread over the masters (a master without partitions does no
 * Rapidfire work; one with many is the hot spot).
 */
final class ClusterCheck {
    private ClusterCheck() {
    }

    static Check run(RedisLink link, List<RedisLink.Server> masters, RedisKeys keys, int partitions) {
        List<RedisClusterNode> nodes = link.clusterNodes();
        BitSet covered = new BitSet(SlotHash.SLOT_COUNT);
        List<String> down = new ArrayList<>();
        List<String> replicasDown = new ArrayList<>();
        int replicas = 0;
        Map<String, RedisClusterNode> masterById = new LinkedHashMap<>();
        for (RedisClusterNode n : nodes) {
            String address = n.getUri().getHost() + ":" + n.getUri().getPort();
            boolean failing = n.is(NodeFlag.FAIL) || n.is(NodeFlag.EVENTUAL_FAIL) || n.is(NodeFlag.NOADDR);
            if (n.is(NodeFlag.UPSTREAM)) {
                boolean unreachable = masters.stream().anyMatch(m -> m.nodeId().equals(n.getNodeId()) && !m.up());
                if (failing || unreachable) {
                    down.add("master " + address + " (" + n.getNodeId().substring(0, 8) + ", flags " + flags(n)
                            + ", " + n.getSlots().size() + " slots)");
                } else {
                    n.getSlots().forEach(covered::set);
                    masterById.put(n.getNodeId(), n);
                }
            } else if (n.is(NodeFlag.REPLICA)) {
                replicas++;
                if (failing) {
                    replicasDown.add("replica " + address + " (flags " + flags(n) + ")");
                }
            }
        }
        List<String> states = new ArrayList<>();
        for (RedisLink.Server m : masters) {
            if (m.up()) {
                String info = m.commands().clusterInfo();
                String state = info.lines().filter(l -> l.startsWith("cluster_state:")).map(l -> l.substring(14).trim())
                        .findFirst().orElse("?");
                if (!state.equals("ok")) {
                    states.add(m.address() + " says cluster_state:" + state);
                }
            }
        }
        Map<String, Integer> spread = new LinkedHashMap<>();
        masterById.values().forEach(n -> spread.put(n.getUri().getHost() + ":" + n.getUri().getPort(), 0));
        int orphan = 0;
        for (int p = 0; p < partitions; p++) {
            int slot = SlotHash.getSlot(keys.due(p));
            RedisClusterNode owner = masterById.values().stream().filter(n -> n.hasSlot(slot)).findFirst().orElse(null);
            if (owner == null) {
                orphan++;
            } else {
                spread.merge(owner.getUri().getHost() + ":" + owner.getUri().getPort(), 1, Integer::sum);
            }
        }
        int uncovered = SlotHash.SLOT_COUNT - covered.cardinality();
        String summary = masterById.size() + " masters up, " + replicas + " replicas; partitions per master "
                + spread.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        if (!down.isEmpty() || uncovered > 0 || !states.isEmpty()) {
            List<String> what = new ArrayList<>(down);
            if (uncovered > 0) {
                what.add(uncovered + " of 16384 slots have no reachable master (" + orphan + " of " + partitions
                        + " Rapidfire partitions): webhooks for conversations there answer 503 until a replica takes over");
            }
            what.addAll(states);
            return Check.fail("redis", "Redis Cluster: " + String.join("; ", what) + "; " + summary,
                    "bring the master back or fail over to its replica (CLUSTER FAILOVER on the replica; "
                            + "cluster-node-timeout decides how soon it happens by itself); CLUSTER NODES shows who is who");
        }
        if (spread.containsValue(0)) {
            return Check.warn("redis", "Redis Cluster ok, all slots covered, but a master holds no Rapidfire partition: "
                            + summary, "raise RAPIDFIRE_PARTITIONS (on an empty store or a new RAPIDFIRE_NAMESPACE) so "
                            + "every master gets some; README \"Choosing the number of partitions\"");
        }
        if (!replicasDown.isEmpty()) {
            return Check.warn("redis", "Redis Cluster ok, all slots covered; " + String.join("; ", replicasDown) + "; "
                    + summary, "bring the replicas back: without them a master's failure loses its slots");
        }
        return Check.pass("redis", "Redis Cluster ok, all 16384 slots covered; " + summary);
    }

    private static String flags(RedisClusterNode n) {
        return n.getFlags().stream().map(f -> f.name().toLowerCase()).sorted().collect(Collectors.joining(","));
    }
}
