package io.rapidfire.ops.doctor;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.config.Setting;
import io.rapidfire.core.Mask;
import java.util.List;

/**
 * The doctor's "overdue" line. No batch far past its deadline (nobody processes this database), read from every partition's indexes.
 */
final class OverdueCheck implements DoctorCheck {
    @Override
    public String name() {
        return "overdue";
    }

    @Override
    public Check run(Inspection in) {
        return overdue(in, in.link().commands(), in.link().nowMs());
    }

    private static Check overdue(Inspection in, RedisClusterCommands<String, String> r, long now) {
        int partitions = in.config().getInt(Setting.RAPIDFIRE_PARTITIONS);
        long worst = 0;
        String worstConv = null;
        long overdueCount = 0;
        for (int p = 0; p < partitions; p++) {
            for (String k : List.of(in.keyspace().due(p), in.keyspace().inflight(p))) {
                List<ScoredValue<String>> first = r.zrangeWithScores(k, 0, 0);
                if (!first.isEmpty() && now - (long) first.get(0).getScore() > in.options().overdueMs()) {
                    overdueCount += r.zcount(k, io.lettuce.core.Range.create(0, now - in.options().overdueMs()));
                    if (now - (long) first.get(0).getScore() > worst) {
                        worst = now - (long) first.get(0).getScore();
                        worstConv = first.get(0).getValue();
                    }
                }
            }
        }
        if (worstConv == null) {
            return Check.pass("overdue", "no batch is more than " + in.options().overdueMs() / 1000 + " s past its deadline");
        }
        return Check.fail("overdue", overdueCount + " batch(es) past their deadline by more than " + in.options().overdueMs() / 1000
                        + " s; the oldest (" + Mask.conversation(worstConv) + ") by " + worst / 1000 + " s: no worker is "
                        + "processing this database",
                "start `rapidfire worker` with this REDIS_URL, RAPIDFIRE_NAMESPACE and RAPIDFIRE_PARTITIONS, or look at "
                        + "why the live workers do not claim (their logs)");
    }
}
