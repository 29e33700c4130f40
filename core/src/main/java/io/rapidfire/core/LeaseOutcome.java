package io.rapidfire.core;

/** Result of an operation that presents a {@link Lease}. */
public enum LeaseOutcome {
    OK,
    /** The batch is no longer in flight under this id: it was acknowledged, dead-lettered or cleared. */
    GONE,
    /** The batch is in flight under another lease: this one expired and another worker took it over. */
    TAKEN_OVER,
    /**
     * The person wrote again while the bot had the batch and the policy supersedes (one answer per thought): its
     * messages went back to form the next batch with the new one. Not a failure: nothing to retry.
     */
    SUPERSEDED;

    public boolean ok() {
        return this == OK;
    }
}
