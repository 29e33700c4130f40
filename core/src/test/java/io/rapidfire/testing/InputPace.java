package io.rapidfire.testing;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces test INPUT in time (a person typing every 100 ms). Never use it to wait for a result: wait for the
 * condition with Awaitility instead.
 */
public final class InputPace {
    private InputPace() {
    }

    /** A pause of a simulated peer: a person between keystrokes, a bot before it asks again after 425. */
    public static void typingPause(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
