package io.rapidfire.core;

import java.util.List;

/**
 * @param storeNowMs  the store's clock when it claimed; the worker measures sleeps relative to it
 * @param nextDueAtMs the earliest deadline (pending or in-flight) left in the partition, store clock; -1 if none
 */
public record ClaimResult(List<ClaimedBatch> batches, long storeNowMs, long nextDueAtMs) {
}
