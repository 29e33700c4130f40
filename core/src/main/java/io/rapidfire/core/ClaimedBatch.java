package io.rapidfire.core;

/**
 * @param lateMs how long after its deadline (store clock) a new batch was claimed; -1 for a redelivery
 */
public record ClaimedBatch(Lease lease, Batch batch, long lateMs) {
}
