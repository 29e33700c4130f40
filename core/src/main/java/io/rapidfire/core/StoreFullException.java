package io.rapidfire.core;

/**
 * The store refused a write because it is full (Redis: {@code maxmemory} reached under {@code noeviction}, the
 * only policy Rapidfire accepts). Nothing was stored; it clears when memory is freed or the limit raised, and a
 * retry of the same message is then stored once.
 */
public final class StoreFullException extends StoreUnavailableException {
    public StoreFullException(String message, Throwable cause) {
        super(StoreFault.FULL, message, cause);
    }
}
