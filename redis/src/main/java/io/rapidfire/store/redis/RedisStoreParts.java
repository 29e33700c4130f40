package io.rapidfire.store.redis;

import io.lettuce.core.RedisException;
import io.rapidfire.core.StoreUnavailableException;

import java.time.Duration;

/** The parts of one {@link RedisBatchStore}, connected and wired from its builder's settings. */
final class RedisStoreParts {
    final StoreContext ctx;
    final ReplicatedWrites writes;
    final OpenBatchWrites open;
    final Claims claims;
    final LeaseWrites leases;
    final Inspection inspection;
    final DeadLetterWrites deadLetters;
    final RedisSharedState shared;
    final HandoverWrites handovers;
    final Finder finder;
    final RedisClock clock;

    private RedisStoreParts(StoreContext ctx, RedisBatchStore.Durability durability, boolean manualClock) {
        this.ctx = ctx;
        this.writes = new ReplicatedWrites(ctx, durability);
        this.open = new OpenBatchWrites(ctx, writes);
        this.claims = new Claims(ctx, writes);
        this.leases = new LeaseWrites(ctx);
        this.inspection = new Inspection(ctx);
        this.deadLetters = new DeadLetterWrites(ctx, inspection);
        this.shared = new RedisSharedState(ctx.redis(), ctx.keys(), ctx.calls());
        this.handovers = new HandoverWrites(ctx);
        this.finder = new Finder(ctx);
        this.clock = new RedisClock(ctx, manualClock);
    }

    /** Settings already checked by the builder. */
    static RedisStoreParts connect(String redisUrl, String clientName, long timeoutMs, String namespace, int partitions,
                                   long dedupWindowMs, String joiner, RedisBatchStore.Durability durability,
                                   boolean manualClock) {
        LuaScripts scripts = new LuaScripts(manualClock);
        String description = "redis " + RedisConnector.describe(redisUrl);
        RedisKeys keys = new RedisKeys(namespace, partitions);
        RedisLink link;
        try {
            link = RedisLink.open(redisUrl, clientName, Duration.ofMillis(timeoutMs),
                    Duration.ofMillis(durability.topologyRefreshMs()));
        } catch (RedisException e) {
            throw new StoreUnavailableException("cannot connect to " + description + ": " + e.getMessage()
                    + ". Start Redis or fix REDIS_URL.", e);
        }
        RedisHealth health = new RedisHealth();
        RedisCalls calls = new RedisCalls(description, health, scripts, link.asyncCommands());
        StoreContext ctx = new StoreContext(link, link.commands(), link.asyncCommands(), scripts, keys, calls, health,
                description, partitions, dedupWindowMs, joiner);
        RedisStoreParts parts = new RedisStoreParts(ctx, durability, manualClock);
        health.follow(link);
        parts.checkPartitions();
        return parts;
    }

    /**
     * Every process of a deployment must spread conversations over the same number of partitions: a worker
     * that knows fewer would never claim the others, and their batches would wait forever. The first process
     * records the number; the others must agree.
     */
    private void checkPartitions() {
        String meta = ctx.keys().meta();
        String partitions = Integer.toString(ctx.partitions());
        ctx.calls().call("setup", meta, () -> ctx.redis().hsetnx(meta, "partitions", partitions));
        String recorded = ctx.calls().call("setup", meta, () -> ctx.redis().hget(meta, "partitions"));
        if (!partitions.equals(recorded)) {
            close();
            throw new IllegalStateException("RAPIDFIRE_PARTITIONS=" + partitions + " but the deployment in "
                    + ctx.description() + " under namespace '" + ctx.keys().namespace() + "' uses " + recorded
                    + " partitions (recorded in " + meta + "). Set RAPIDFIRE_PARTITIONS=" + recorded + " on every "
                    + "process; changing it needs an empty store (or a new RAPIDFIRE_NAMESPACE).");
        }
    }

    void close() {
        writes.close();
        ctx.link().close();
    }
}
