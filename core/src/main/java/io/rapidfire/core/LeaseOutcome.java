package io.rapidfire.core;

/** Result of an operation that presents a {@link Lease}. */
public enum LeaseOutcome {
    OK,
    /** The batch is no longer in flight under this id: it was acknowledged, dead-lettered or cleared. */
    GONE,
    /** The batch is in flight under another lease: this one expired and another worker took it over. */
    TAKEN_OVER;

    public boolean ok() {
        return this == OK;
    }
}
