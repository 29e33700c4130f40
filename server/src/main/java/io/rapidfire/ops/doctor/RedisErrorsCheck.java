package io.rapidfire.ops.doctor;

import io.rapidfire.ops.ProcessInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's "redis-errors" line. Redis errors and repeated reconnects that the processes report in their heartbeats.
 */
final class RedisErrorsCheck implements DoctorCheck {
    @Override
    public String name() {
        return "redis-errors";
    }

    @Override
    public Check run(Inspection in) {
        return redisErrors(in, in.processes());
    }

    private static Check redisErrors(Inspection in, List<ProcessInfo> live) {
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
}
