package io.rapidfire.ops.doctor;

import io.rapidfire.config.Setting;
import io.rapidfire.delivery.bullmq.BullmqQueues;
import io.rapidfire.delivery.bullmq.BullmqSettings;
import io.rapidfire.store.redis.RedisLink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's "bullmq" line, with RAPIDFIRE_SINK=bullmq: the queues the batches go to, read as a queue dashboard
 * would. FAIL when jobs wait longer than --overdue-ms with no BullMQ worker connected (the queue grows and nobody
 * answers); WARN for a paused queue, failed jobs, or workers not keeping up.
 */
final class BullmqCheck implements DoctorCheck {
    @Override
    public String name() {
        return "bullmq";
    }

    static boolean applies(Inspection in) {
        return "bullmq".equals(in.config().get(Setting.RAPIDFIRE_SINK));
    }

    @Override
    public Check run(Inspection in) {
        BullmqSettings s = in.config().bullmq();
        String url = in.config().get(Setting.RAPIDFIRE_BULLMQ_REDIS_URL);
        if (url.isEmpty()) {
            return check(in, s, in.link());
        }
        try (RedisLink own = RedisLink.open(url, in.self(), Duration.ofSeconds(3), Duration.ofSeconds(60))) {
            return check(in, s, own);
        } catch (RuntimeException e) {
            return Check.fail("bullmq", "the BullMQ queue Redis (RAPIDFIRE_BULLMQ_REDIS_URL) cannot be reached: "
                    + e.getMessage(), "start it or fix RAPIDFIRE_BULLMQ_REDIS_URL; batches are retried meanwhile");
        }
    }

    private static Check check(Inspection in, BullmqSettings s, RedisLink link) {
        List<BullmqQueues.QueueState> queues = BullmqQueues.inspect(link, s, link.nowMs());
        String where = s.prefix() + ":" + s.queueTemplate() + " on " + link.describe();
        if (queues.isEmpty()) {
            return Check.warn("bullmq", "no BullMQ queue " + where + " exists yet (no batch went there, and no BullMQ "
                    + "Queue or Worker opened one)", "start the BullMQ worker with the same prefix and queue names "
                    + "(RAPIDFIRE_BULLMQ_PREFIX, RAPIDFIRE_BULLMQ_QUEUE)");
        }
        long overdue = in.options().overdueMs();
        List<String> stuck = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> states = new ArrayList<>();
        for (BullmqQueues.QueueState q : queues) {
            states.add(q.queue() + ": " + q.waiting() + " waiting" + (q.oldestWaitingAgeMs() >= 0 ? " (oldest "
                    + q.oldestWaitingAgeMs() / 1000 + " s)" : "") + ", " + q.active() + " active, " + q.failed()
                    + " failed, " + q.completed() + " completed, " + q.workers() + " worker(s)"
                    + (q.paused() ? ", PAUSED" : "") + (q.version() == null ? "" : ", " + q.version()));
            boolean late = q.oldestWaitingAgeMs() > overdue;
            if (late && q.workers() == 0 && !q.paused()) {
                stuck.add(q.queue() + " has " + q.waiting() + " job(s) waiting, the oldest for "
                        + q.oldestWaitingAgeMs() / 1000 + " s, and no BullMQ worker is connected");
            } else if (late && !q.paused()) {
                warnings.add(q.queue() + ": its " + q.workers() + " worker(s) do not keep up (oldest job waits "
                        + q.oldestWaitingAgeMs() / 1000 + " s)");
            }
            if (q.paused()) {
                warnings.add(q.queue() + " is paused (" + q.waiting() + " job(s) held)");
            }
            if (q.failed() > 0) {
                warnings.add(q.queue() + " has " + q.failed() + " failed job(s) (the worker threw on every attempt)");
            }
        }
        String evidence = String.join("; ", states);
        if (!stuck.isEmpty()) {
            return Check.fail("bullmq", String.join("; ", stuck) + ". " + evidence, "start the BullMQ worker for "
                    + "these queues (same Redis, prefix " + s.prefix() + "); the batches are safe in the queue meanwhile");
        }
        if (!warnings.isEmpty()) {
            return Check.warn("bullmq", String.join("; ", warnings) + ". " + evidence, "resume a paused queue "
                    + "(Queue.resume()), look at failed jobs (Queue.getFailed(), failedReason), add workers if they "
                    + "lag");
        }
        return Check.pass("bullmq", evidence);
    }
}
