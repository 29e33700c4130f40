package io.rapidfire.ops.doctor;

import io.rapidfire.config.Setting;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.store.redis.RedisConnector.Topology;

/** The doctor's "redis" line: which server (or Sentinel master) it reached; on a Cluster, {@link ClusterCheck}. */
final class RedisCheck implements DoctorCheck {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Check run(Inspection in) {
        if (in.cluster()) {
            return ClusterCheck.run(in.link(), in.masters(), in.keyspace(), in.config().getInt(Setting.RAPIDFIRE_PARTITIONS));
        }
        RedisServerFacts f = in.facts().get(0);
        return Check.pass("redis", "redis " + f.version() + " at " + f.address() + " db " + in.uri().getDatabase()
                + ", run_id " + f.runId() + (in.link().topology() == Topology.SENTINEL ? " (master '"
                + in.link().target().masterName() + "' named by Sentinel)" : ""));
    }
}
