package io.rapidfire.worker;

import io.rapidfire.core.ClaimResult;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * When to claim which partition. For every partition it knows when the next deadline is (every claim returns it,
 * in the store's clock, together with the store's "now", so only durations cross between clocks), sleeps until
 * the earliest one, and is woken early when the store announces an earlier deadline. No polling every second: a
 * batch is claimed within milliseconds of its deadline; a slow safety poll per partition covers a missed
 * announcement.
 */
final class Scheduler {
    private final long[] wakeAtNanos;
    private final long safetyNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long anchorStoreMs = -1;
    private volatile long anchorNanos;

    Scheduler(int partitions, long safetyPollMs) {
        this.wakeAtNanos = new long[partitions];
        this.safetyNanos = safetyPollMs * 1_000_000;
        Arrays.fill(wakeAtNanos, System.nanoTime());
    }

    private long toLocalNanos(long storeMs) {
        if (anchorStoreMs < 0) {
            return System.nanoTime();
        }
        return anchorNanos + (storeMs - anchorStoreMs) * 1_000_000;
    }

    /** The store announced a deadline at {@code dueAtMs} (store clock) for a partition. */
    void wake(int partition, long dueAtMs) {
        if (partition < 0 || partition >= wakeAtNanos.length) {
            return;
        }
        long at = toLocalNanos(dueAtMs);
        lock.lock();
        try {
            if (at < wakeAtNanos[partition]) {
                wakeAtNanos[partition] = at;
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Something changed (a delivery slot freed, the worker stops): look again. */
    void nudge() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a partition is due and {@code canTake} says there is room to deliver; returns it, or -1 when
     * woken for another reason (the caller checks whether to go on).
     */
    int awaitDue(BooleanSupplier canTake) throws InterruptedException {
        lock.lock();
        try {
            long now = System.nanoTime();
            int min = 0;
            for (int p = 1; p < wakeAtNanos.length; p++) {
                if (wakeAtNanos[p] < wakeAtNanos[min]) {
                    min = p;
                }
            }
            if (!canTake.getAsBoolean()) {
                changed.awaitNanos(safetyNanos);
            } else if (wakeAtNanos[min] <= now) {
                wakeAtNanos[min] = Long.MAX_VALUE; // a wake-up during the claim lowers it again
                return min;
            } else {
                changed.awaitNanos(wakeAtNanos[min] - now);
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /** After a claim: the next look at this partition is now if the claim was full, else its next deadline. */
    void claimed(int partition, ClaimResult r, boolean full) {
        long now = System.nanoTime();
        anchorStoreMs = r.storeNowMs();
        anchorNanos = now;
        long next;
        if (full) {
            next = now; // there may be more due right now
        } else if (r.nextDueAtMs() < 0) {
            next = now + safetyNanos;
        } else {
            next = Math.min(toLocalNanos(r.nextDueAtMs()), now + safetyNanos);
        }
        at(partition, next);
    }

    /** A partition handed out but not claimed (no slot after all): look at it again at once. */
    void retryNow(int partition) {
        at(partition, System.nanoTime());
    }

    /** After a failed claim: try again after the safety poll. */
    void failed(int partition) {
        at(partition, System.nanoTime() + safetyNanos);
    }

    private void at(int partition, long next) {
        lock.lock();
        try {
            wakeAtNanos[partition] = Math.min(wakeAtNanos[partition], next);
        } finally {
            lock.unlock();
        }
    }
}
