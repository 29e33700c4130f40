package io.rapidfire.ops.doctor;

import io.rapidfire.config.Setting;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.delivery.Probe;
import io.rapidfire.store.redis.RedisBatchStore;
import java.time.Duration;
import java.util.UUID;

/**
 * The doctor's "probe" line. End to end: a probe message is appended and must be released and acknowledged by a live worker (its
 * ProbeSink keeps it from the bot).
 */
final class ProbeCheck implements DoctorCheck {
    @Override
    public String name() {
        return "probe";
    }

    @Override
    public Check run(Inspection in) {
        return probe(in);
    }

    private static Check probe(Inspection in) {
        String id = "probe-" + UUID.randomUUID();
        try (RedisBatchStore store = RedisBatchStore.builder(in.config().get(Setting.REDIS_URL)).clientName(in.self())
                .timeout(Duration.ofSeconds(3)).namespace(in.keyspace().namespace())
                .partitions(in.config().getInt(Setting.RAPIDFIRE_PARTITIONS)).dedupWindow(Duration.ofMinutes(1)).build()) {
            long t0 = System.nanoTime();
            store.append(Message.text(new ConversationRef(Probe.TENANT, Probe.CHANNEL, "doctor-" + ProcessHandle.current().pid()),
                    id, "probe", null), Policy.DEFAULT.passthrough());
            long deadline = t0 + in.options().probeMs() * 1_000_000;
            while (System.nanoTime() < deadline) {
                if (store.isMarked(Probe.ackMark(id))) {
                    return Check.pass("probe", "a probe message was released and acknowledged by a live worker in "
                            + (System.nanoTime() - t0) / 1_000_000 + " ms (it never reaches the bot)");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            return Check.fail("probe", "a probe message appended " + in.options().probeMs() / 1000 + " s ago was not acknowledged",
                    "no worker claims from this database and namespace: check `rapidfire processes` and the workers' logs");
        } catch (IllegalStateException e) {
            return Check.fail("probe", e.getMessage(), "run the doctor with the deployment's settings");
        }
    }
}
