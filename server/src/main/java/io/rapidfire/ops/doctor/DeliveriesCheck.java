package io.rapidfire.ops.doctor;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.config.Setting;
import io.rapidfire.core.Mask;

import java.util.List;

/**
 * The doctor's "deliveries" line: whether the bot takes what the workers hand it. Read from the store: batches
 * whose last delivery failed (waiting for a retry, or being tried again) with the bot's last answer, and dead
 * letters. A slow bot (past RAPIDFIRE_SINK_TIMEOUT_MS), one that closes the connection or answers 5xx shows here
 * by its cause, while the webhooks still answer 200. Batches a bot took to commit later (one answer per thought)
 * are counted: many of them mean the bot does not commit, and each waits RAPIDFIRE_COMMIT_TIMEOUT_MS.
 */
final class DeliveriesCheck implements DoctorCheck {
    /** In-flight batches read per partition: enough to tell a failing bot from a healthy one. */
    private static final int SAMPLE = 50;

    @Override
    public String name() {
        return "deliveries";
    }

    @Override
    public Check run(Inspection in) {
        RedisClusterCommands<String, String> r = in.link().commands();
        int partitions = in.config().getInt(Setting.RAPIDFIRE_PARTITIONS);
        long failing = 0;
        long dead = 0;
        String lastError = null;
        String lastConv = null;
        int lastAttempt = 0;
        long awaiting = 0;
        for (int p = 0; p < partitions; p++) {
            dead += r.zcard(in.keyspace().deadLetterIndex(p));
            for (String conv : r.zrange(in.keyspace().inflight(p), 0, SAMPLE - 1)) {
                List<String> f = r.hmget(in.keyspace().conversation(p, conv), "ferr", "fatt", "fstate").stream()
                        .map(kv -> kv.getValueOrElse("")).toList();
                awaiting += "awaiting".equals(f.get(2)) ? 1 : 0;
                if (!f.get(0).isEmpty()) {
                    failing++;
                    int attempt = f.get(1).isEmpty() ? 0 : Integer.parseInt(f.get(1));
                    if (attempt >= lastAttempt) {
                        lastAttempt = attempt;
                        lastError = f.get(0);
                        lastConv = conv;
                    }
                }
            }
        }
        String sinkTimeout = "RAPIDFIRE_SINK_TIMEOUT_MS=" + in.config().get(Setting.RAPIDFIRE_SINK_TIMEOUT_MS);
        if (failing > 0) {
            return Check.warn("deliveries", failing + " batch(es) failed their last delivery and are retried (same "
                            + "batchId); the furthest along (" + Mask.conversation(lastConv) + ", attempt " + lastAttempt
                            + " of RAPIDFIRE_MAX_ATTEMPTS=" + in.config().get(Setting.RAPIDFIRE_MAX_ATTEMPTS) + "): "
                            + lastError + (dead > 0 ? "; " + dead + " dead letter(s)" : ""),
                    "make the bot answer 2xx within " + sinkTimeout + " (raise it if the bot needs longer), or fix "
                            + "what the last answer says; the batches wait in the store meanwhile");
        }
        if (dead > 0) {
            return Check.warn("deliveries", "no delivery is failing now; " + dead + " dead letter(s) wait",
                    "look at them with `rapidfire dlq list`, then `rapidfire dlq replay` or `purge`");
        }
        return Check.pass("deliveries", "no delivery is failing and there are no dead letters" + (awaiting > 0
                ? "; " + awaiting + " batch(es) await the bot's commit (202 Rapidfire-Commit: later; counted as "
                + "committed after RAPIDFIRE_COMMIT_TIMEOUT_MS=" + in.config().get(Setting.RAPIDFIRE_COMMIT_TIMEOUT_MS) + ")"
                : ""));
    }
}
