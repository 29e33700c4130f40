package io.rapidfire.store.redis;

/** The store's clock: Redis TIME, or in tests the manual clock the scripts read instead (Builder#manualClock). */
final class RedisClock {
    private final StoreContext ctx;
    private final boolean manual;

    RedisClock(StoreContext ctx, boolean manual) {
        this.ctx = ctx;
        this.manual = manual;
    }

    long nowMs() {
        if (manual) {
            String set = ctx.calls().call("time", "manual clock", () -> ctx.redis().get(ctx.keys().clock(0)));
            if (set != null) {
                return Long.parseLong(set);
            }
        }
        return ctx.calls().call("time", "TIME", ctx.link()::nowMs);
    }

    /** Every partition's clock, since each script reads the one of its own partition (one slot per script). */
    void set(long ms) {
        if (!manual) {
            throw new IllegalStateException("setManualTime needs a store built with manualClock()");
        }
        for (int p = 0; p < ctx.partitions(); p++) {
            String key = ctx.keys().clock(p);
            ctx.calls().call("setManualTime", key, () -> ctx.redis().set(key, Long.toString(ms)));
        }
    }
}
