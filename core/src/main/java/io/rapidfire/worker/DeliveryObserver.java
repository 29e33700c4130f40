package io.rapidfire.worker;

import io.rapidfire.core.Batch;
import io.rapidfire.delivery.DeliveryOutcome;

/** Hooks for metrics and logs; the worker itself depends on no metrics library. */
public interface DeliveryObserver {
    DeliveryObserver NONE = new DeliveryObserver() {
    };

    /** A new batch was claimed {@code lateMs} after its deadline (store clock). */
    default void released(Batch batch, long lateMs) {
    }

    /** One delivery attempt ended. */
    default void attempted(Batch batch, DeliveryOutcome outcome, long nanos) {
    }

    default void deadLettered(Batch batch, String reason) {
    }

    /**
     * The person wrote again while the bot had the batch, and the policy supersedes: its delivery was stopped (or its
     * late answer dropped). One wasted generation.
     */
    default void superseded(Batch batch) {
    }
}
