package io.rapidfire.delivery.bullmq;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.rapidfire.core.Batch;
import io.rapidfire.core.StoreFault;
import io.rapidfire.delivery.DeliveryOutcome;
import io.rapidfire.delivery.Sink;
import io.rapidfire.store.redis.LuaScript;
import io.rapidfire.store.redis.RedisFaults;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.store.redis.ScriptStatus;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Each released batch becomes one BullMQ job that a stock BullMQ {@code Worker} consumes (the original system's
 * AI worker, unchanged). Written with Rapidfire's own script ({@code lua/bullmq/addJob-8.lua}); the job id is
 * the batchId, so a batch delivered twice is one job. The batch is acknowledged only once the job is in the queue;
 * an unreachable queue Redis is a RETRY with the sink backoff (then a dead letter, like any failed delivery).
 *
 * <p>One answer per thought: under a policy that supersedes, adding the job is not the commit. The batch stays
 * supersedable while its job waits; a new message asks the worker to withdraw it ({@code withdrawJob-4.lua}, atomic
 * against a BullMQ worker taking it): withdrawn, the merged batch follows as a new job; taken, it counts as committed
 * (a stock BullMQ worker cannot be told to drop an answer), and a worker that reads {@code metadata.commitUrl} commits
 * through it like an HTTP bot.
 */
public final class BullmqSink implements Sink {
    /** BullMQ major versions whose data model this sink writes and was tested with (bullmq 6.7.0). */
    public static final String TESTED_MAJORS = "6";

    private static final LuaScript ADD = LuaScript.load("bullmq/addJob", 8);
    private static final LuaScript WITHDRAW = LuaScript.load("bullmq/withdrawJob", 4);

    private final RedisLink link;
    private final boolean ownsLink;
    private final BullmqSettings settings;
    private final java.util.function.Function<Batch, String> commitUrls;

    /** @param ownsLink close the link with the sink (a queue Redis of its own, not the store's connection) */
    public BullmqSink(RedisLink link, boolean ownsLink, BullmqSettings settings) {
        this(link, ownsLink, settings, null);
    }

    /** @param commitUrls each batch's commit URL for the job's metadata (CommitLinks); null: none */
    public BullmqSink(RedisLink link, boolean ownsLink, BullmqSettings settings,
                      java.util.function.Function<Batch, String> commitUrls) {
        this.commitUrls = commitUrls;
        this.link = link;
        this.ownsLink = ownsLink;
        this.settings = settings;
    }

    @Override
    public DeliveryOutcome deliver(Batch batch) throws Exception {
        return Sink.await(deliverAsync(batch, Runnable::run));
    }

    /** Holds no thread while Redis answers. */
    @Override
    public CompletableFuture<DeliveryOutcome> deliverAsync(Batch batch, Executor blocking) {
        String base = settings.baseFor(batch);
        String id = batch.batchId();
        // The hand-off mark is under the tenant's own queue whichever queue the job goes to: a redelivery claimed after
        // a handover started or ended goes to the other queue, and must still find the mark (one batch, one job).
        String mark = settings.base(batch.conversation().tenant()) + "rapidfire:" + id;
        String[] keys = {base + "wait", base + "meta", base + "id", base + "events", base + "marker", base + "active",
                base + id, mark};
        CompletableFuture<List<Object>> reply = ADD.run(link.asyncCommands(), ScriptOutputType.MULTI, keys, id,
                settings.jobName(), BullmqJob.data(batch, commitUrls == null ? null : commitUrls.apply(batch)),
                BullmqJob.options(batch, settings),
                Long.toString(settings.markMs()), TESTED_MAJORS);
        String queue = settings.prefix() + ":" + settings.queueFor(batch);
        return reply.handle((r, e) -> e == null ? outcome(r, id, queue) : failure(e, queue));
    }

    private DeliveryOutcome outcome(List<Object> reply, String id, String queue) {
        ScriptStatus status = ScriptStatus.of((Long) reply.get(0), ADD.file());
        String detail = String.valueOf(reply.get(1));
        return switch (status) {
            case OK -> DeliveryOutcome.ack("job " + id + " added to " + queue + " (" + detail + ")");
            case DUPLICATE -> DeliveryOutcome.ack("job " + id + " already in " + queue + " (" + detail
                    + "): not added again");
            case UNSUPPORTED -> DeliveryOutcome.retry("bullmq_version", "queue " + queue + " is written by "
                    + detail + "; this sink writes the data model of BullMQ " + TESTED_MAJORS + ".x only (tested with "
                    + "6.7.0): run a BullMQ " + TESTED_MAJORS + ".x worker, or a Rapidfire that supports " + detail);
            default -> throw new IllegalStateException(ADD.file() + " returned " + status + ": " + status.meaning());
        };
    }

    private DeliveryOutcome failure(Throwable e, String queue) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof RedisException re) {
            StoreFault f = RedisFaults.classify(re);
            return DeliveryOutcome.retry(f.reason(), "the BullMQ queue " + queue + " on " + link.describe()
                    + " did not take the job: " + f.what(link.describe()) + " (" + re.getMessage() + "); " + f.fix()
                    + " (the queue's Redis is RAPIDFIRE_BULLMQ_REDIS_URL, or REDIS_URL when that is empty)");
        }
        return DeliveryOutcome.retry("error", "the BullMQ queue " + queue + " did not take the job: " + cause);
    }

    @Override
    public CommitStyle commitStyle() {
        return CommitStyle.WITHDRAWABLE;
    }

    /** Removes the batch's job if it still waits (no BullMQ worker took it): true when withdrawn. */
    @Override
    public CompletableFuture<Boolean> withdraw(Batch batch) {
        String base = settings.baseFor(batch);
        String id = batch.batchId();
        return WITHDRAW.<Long>run(link.asyncCommands(), ScriptOutputType.INTEGER,
                new String[]{base + "wait", base + id, base + "events", base + "meta"}, id)
                .thenApply(r -> ScriptStatus.of(r, WITHDRAW.file()) == ScriptStatus.WITHDRAWN);
    }

    @Override
    public String kind() {
        return "bullmq";
    }

    @Override
    public String describe() {
        return "bullmq job '" + settings.jobName() + "' to " + settings.prefix() + ":" + settings.queueTemplate()
                + " on " + link.describe() + " (" + settings.attempts() + " attempts, exponential backoff from "
                + settings.backoffMs() + " ms)";
    }

    @Override
    public void close() {
        if (ownsLink) {
            link.close();
        }
    }
}
