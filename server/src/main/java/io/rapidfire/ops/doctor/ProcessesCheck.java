package io.rapidfire.ops.doctor;

import io.rapidfire.config.Setting;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.store.redis.RedisConnector;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The doctor's "processes" line. At least one live API and one live worker registered in this database and namespace.
 */
final class ProcessesCheck implements DoctorCheck {
    @Override
    public String name() {
        return "processes";
    }

    @Override
    public Check run(Inspection in) {
        return processes(in, in.processes());
    }

    private static Check processes(Inspection in, List<ProcessInfo> live) {
        long ingest = live.stream().filter(ProcessInfo::ingests).count();
        long deliver = live.stream().filter(ProcessInfo::delivers).count();
        String list = live.isEmpty() ? "none" : live.stream().map(ProcessInfo::describe).collect(Collectors.joining(", "));
        String where = "in " + RedisConnector.describe(in.config().get(Setting.REDIS_URL)) + " namespace " + in.keyspace().namespace();
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
}
