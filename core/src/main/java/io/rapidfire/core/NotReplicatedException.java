package io.rapidfire.core;

/**
 * A write reached its Redis master but fewer replicas than RAPIDFIRE_WAIT_REPLICAS confirmed it in time, so it
 * is not acknowledged: an unclean fail-over could still lose it. Retrying is safe (a message id is stored once).
 */
public final class NotReplicatedException extends StoreUnavailableException {
    public NotReplicatedException(String message) {
        super(StoreFault.NOT_REPLICATED, message, null);
    }
}
