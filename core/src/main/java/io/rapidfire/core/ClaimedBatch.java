package io.rapidfire.core;

/**
 * @param lateMs       how long after its deadline (store clock) a new batch was claimed; -1 for a redelivery
 * @param supersedable the conversation's policy supersedes (RAPIDFIRE_ON_NEW_MESSAGE=supersede): a sink whose consumer
 *                     commits later leaves the batch awaiting its commit instead of acknowledging it
 */
public record ClaimedBatch(Lease lease, Batch batch, long lateMs, boolean supersedable) {
    public ClaimedBatch(Lease lease, Batch batch, long lateMs) {
        this(lease, batch, lateMs, false);
    }
}
