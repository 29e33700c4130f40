package io.rapidfire.ops;

import java.util.List;

/**
 * Where processes announce themselves (DESIGN.md invariant 10): every process heartbeats every
 * RAPIDFIRE_HEARTBEAT_MS; it is "live" while its last heartbeat is younger than {@link #LIVE_HEARTBEATS} of its
 * own intervals.
 */
public interface Registry extends AutoCloseable {
    int LIVE_HEARTBEATS = 5;

    /**
     * Records a heartbeat; the registry adds the time and, for Redis, the server's run_id and this process's
     * clock skew ({@code clockOffsetMs} is added to the local clock: tests inject a skewed clock with it).
     */
    void heartbeat(ProcessInfo self, long clockOffsetMs);

    /** Live processes. */
    List<ProcessInfo> live();

    /** Every process still known, live or not (the registry forgets a process an hour after its last heartbeat). */
    default List<ProcessInfo> all() {
        return live();
    }

    void remove(String id);

    @Override
    void close();

    static boolean isLive(ProcessInfo p, long nowMs) {
        return nowMs - p.lastSeenMs() <= LIVE_HEARTBEATS * Math.max(100, p.heartbeatMs());
    }
}
