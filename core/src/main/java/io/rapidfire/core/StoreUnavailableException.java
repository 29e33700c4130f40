package io.rapidfire.core;

/**
 * The store could not be reached or refused the write; {@link #fault()} says why (connection down, timeout,
 * out of memory, read-only replica, persistence failure). Nothing can be assumed stored: the webhook must answer
 * 503 so the platform retries.
 */
public class StoreUnavailableException extends RuntimeException {
    private final StoreFault fault;

    public StoreUnavailableException(String message, Throwable cause) {
        this(StoreFault.UNAVAILABLE, message, cause);
    }

    public StoreUnavailableException(StoreFault fault, String message, Throwable cause) {
        super(message, cause);
        this.fault = fault;
    }

    public StoreFault fault() {
        return fault;
    }
}
