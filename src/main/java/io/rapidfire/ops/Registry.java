package io.rapidfire.ops;

import java.util.List;

/**
 * Where processes announce themselves (DESIGN.md invariant 10). Every process calls {@link #heartbeat} every
 * few seconds; a process whose last heartbeat is older than the bound is not "live". (The full registry with
 * Redis server id, database and config digest is the operations issue's.)
 */
public interface Registry extends AutoCloseable {
    long HEARTBEAT_MS = 2_000;
    long LIVE_MS = 10_000;

    void heartbeat(ProcessInfo self);

    /** Processes seen within the last {@code maxAgeMs}, by the store's clock. */
    List<ProcessInfo> live(long maxAgeMs);

    void remove(String id);

    @Override
    void close();
}
